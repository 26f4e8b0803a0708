import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

// Raw HTML in the source is shown as text (html: false); markdown-it also refuses javascript: and data:
// links. DOMPurify then removes whatever a future plugin or a parser bug lets through: descriptions are
// written by operators, but the console treats them as untrusted all the same.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** Markdown → sanitised HTML; links open in a new tab without access to the console. */
export function renderMarkdown(source: string): string {
  const html = DOMPurify.sanitize(markdown.render(source), { USE_PROFILES: { html: true } });
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const link of template.content.querySelectorAll('a[href]')) {
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
  }
  return template.innerHTML;
}
