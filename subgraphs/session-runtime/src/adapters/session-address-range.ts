/**
 * The part of a sessions subnet that Docker may hand to session containers: its upper half. The lower
 * half stays free for the control plane's fixed addresses (Caddy 172.30.0.2, session-runtime .3), which
 * the firewall trusts — a session must never be able to hold one of them.
 */
export function sessionAddressRange(subnet: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(subnet);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || prefix < 8 || prefix > 29) {
    throw new Error(`${subnet} is not an IPv4 subnet between /8 and /29`);
  }
  const base = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const upperHalf = base - (base % size) + size / 2;
  const address = [24, 16, 8, 0].map((shift) => Math.floor(upperHalf / 2 ** shift) % 256).join('.');
  return `${address}/${prefix + 1}`;
}
