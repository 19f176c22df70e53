import { describe, expect, it } from 'vitest';
import { maskIp } from './ip-mask.js';

describe('maskIp', () => {
  it('keeps the /24 of an IPv4 address', () => {
    expect(maskIp('203.0.113.57')).toBe('203.0.113.0');
    expect(maskIp('127.0.0.1')).toBe('127.0.0.0');
    expect(maskIp('10.1.2.0')).toBe('10.1.2.0');
  });

  it('keeps the /48 of an IPv6 address, written in its canonical short form', () => {
    expect(maskIp('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::');
    expect(maskIp('2001:0DB8:ABCD:0012:0000:0000:0000:0001')).toBe('2001:db8:abcd::');
    expect(maskIp('2001:db8::1')).toBe('2001:db8::');
    expect(maskIp('2001::1:2:3')).toBe('2001::');
    expect(maskIp('fe80::1%eth0')).toBe('fe80::');
    expect(maskIp('::1')).toBe('::');
    expect(maskIp('::')).toBe('::');
    expect(maskIp('64:ff9b:1::192.0.2.33')).toBe('64:ff9b:1::');
  });

  it('masks an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(maskIp('::ffff:198.51.100.23')).toBe('::ffff:198.51.100.0');
    expect(maskIp('::FFFF:127.0.0.1')).toBe('::ffff:127.0.0.0');
  });

  it('never returns the full address it was given', () => {
    for (const address of ['198.51.100.23', '2001:db8:abcd:12:34:56:78:9a', '::ffff:192.0.2.1']) {
      expect(maskIp(address)).not.toBe(address);
      expect(maskIp(address)).toMatch(/(\.0|::)$/);
    }
  });

  it('returns what is not an IP address unchanged', () => {
    expect(maskIp('')).toBe('');
    expect(maskIp('unknown')).toBe('unknown');
    expect(maskIp('300.1.2.3')).toBe('300.1.2.3');
  });
});
