/** A palette colour as a canvas needs it: the page's light-dark() variable resolved to rgb by the browser. */
export function cssColor(name: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${name})`;
  document.body.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || '#888';
}
