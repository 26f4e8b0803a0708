import { sessionAddressRange } from '../src/adapters/session-address-range';

describe('sessionAddressRange', () => {
  it('gives sessions the upper half of their subnet, keeping the fixed control-plane addresses out', () => {
    expect(sessionAddressRange('172.30.0.0/24')).toBe('172.30.0.128/25');
    expect(sessionAddressRange('172.31.0.0/24')).toBe('172.31.0.128/25');
    expect(sessionAddressRange('10.8.0.0/16')).toBe('10.8.128.0/17');
    expect(sessionAddressRange('192.168.4.0/23')).toBe('192.168.5.0/24');
  });

  it('normalizes a subnet written with host bits set', () => {
    expect(sessionAddressRange('172.30.0.77/24')).toBe('172.30.0.128/25');
  });

  it.each(['172.30.0.0', '300.1.1.1/24', '172.30.0.0/30', '10.0.0.0/4', 'fd00::/64'])('rejects %s', (subnet) => {
    expect(() => sessionAddressRange(subnet)).toThrow(/not an IPv4 subnet/);
  });
});
