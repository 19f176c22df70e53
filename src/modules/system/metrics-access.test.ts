import { describe, expect, it } from 'vitest';
import { createMetricsAccess } from './metrics-access.js';

const TOKEN = 'a-long-enough-metrics-token';
const direct = { authorization: undefined, proxiedUntrusted: false };

describe('who may scrape /metrics', () => {
  it('takes the right bearer token from anywhere, and nothing else', () => {
    const allows = createMetricsAccess({ token: TOKEN, allow: [] });
    expect(allows({ ...direct, ip: '203.0.113.7', authorization: `Bearer ${TOKEN}` })).toBe(true);
    expect(allows({ ...direct, ip: '203.0.113.7', authorization: `Bearer ${TOKEN}x` })).toBe(false);
    expect(allows({ ...direct, ip: '203.0.113.7', authorization: TOKEN })).toBe(false);
    expect(allows({ ...direct, ip: '127.0.0.1' })).toBe(false);
  });

  it('lets allow-listed networks in without a token, IPv4 and IPv6', () => {
    const allows = createMetricsAccess({ token: undefined, allow: ['10.0.0.0/8', '::1/128'] });
    expect(allows({ ...direct, ip: '10.20.30.40' })).toBe(true);
    expect(allows({ ...direct, ip: '::ffff:10.1.2.3' })).toBe(true);
    expect(allows({ ...direct, ip: '::1' })).toBe(true);
    expect(allows({ ...direct, ip: '11.0.0.1' })).toBe(false);
    expect(allows({ ...direct, ip: '127.0.0.1' })).toBe(false);
    // Without a configured token, a presented one opens nothing.
    expect(allows({ ...direct, ip: '11.0.0.1', authorization: `Bearer ${TOKEN}` })).toBe(false);
  });

  it('judges a request relayed by an untrusted proxy by its token only', () => {
    const allows = createMetricsAccess({ token: TOKEN, allow: ['127.0.0.1/32'] });
    expect(allows({ ip: '127.0.0.1', authorization: undefined, proxiedUntrusted: true })).toBe(
      false,
    );
    expect(
      allows({ ip: '127.0.0.1', authorization: `Bearer ${TOKEN}`, proxiedUntrusted: true }),
    ).toBe(true);
  });

  it('a wrong token is refused even from an allowed address', () => {
    const allows = createMetricsAccess({ token: TOKEN, allow: ['127.0.0.1/32'] });
    expect(allows({ ...direct, ip: '127.0.0.1', authorization: 'Bearer nope' })).toBe(false);
    expect(allows({ ...direct, ip: '127.0.0.1' })).toBe(true);
  });
});
