import type { Event } from '@sentry/node';
import { describe, expect, it } from 'vitest';
import { scrubBreadcrumb, scrubEvent } from './scrub.js';

describe('scrubEvent', () => {
  it('keeps of a request only its method, route template and harmless headers', () => {
    const event: Event = {
      tags: { route: '/p/:slug', request_id: 'r1' },
      transaction: 'GET /p/:slug',
      request: {
        method: 'GET',
        url: 'https://studio.example/p/Ab3dE9xYz?token=secret',
        query_string: 'token=secret',
        cookies: { vertex_session: 'jwt' },
        data: { password: 'hunter2' },
        env: { REMOTE_ADDR: '203.0.113.9' },
        headers: {
          Authorization: 'Bearer vxk_key',
          cookie: 'vertex_session=jwt',
          'x-csrf-token': 'csrf',
          'x-forwarded-for': '203.0.113.9',
          'user-agent': 'Mozilla/5.0',
          'content-type': 'application/json',
          'x-request-id': 'r1',
        },
      },
      user: { id: 'u1', ip_address: '203.0.113.9', email: 'a@example.com' },
    };
    expect(scrubEvent(event)).toEqual({
      tags: { route: '/p/:slug', request_id: 'r1' },
      transaction: 'GET /p/:slug',
      request: {
        method: 'GET',
        url: '/p/:slug',
        headers: { 'content-type': 'application/json', 'x-request-id': 'r1' },
      },
      user: { id: 'u1' },
    });
  });

  it('drops the URL when no route is known, and a user without an id', () => {
    const event = scrubEvent({
      request: { method: 'GET', url: 'http://x/p/Ab3dE9xYz' },
      user: { ip_address: '203.0.113.9' },
    });
    expect(event.request).toEqual({ method: 'GET', headers: {} });
    expect(event).not.toHaveProperty('user');
  });

  it('names a transaction the SDK took from the raw URL by its method only', () => {
    expect(
      scrubEvent({
        type: 'transaction',
        transaction: 'GET /p/Ab3dE9xYz',
        transaction_info: { source: 'url' },
      }).transaction,
    ).toBe('GET unmatched');
    expect(scrubEvent({ transaction: 'GET /api/x?token=1' }).transaction).toBe('GET /api/x');
  });

  it('strips span attributes of addresses, headers, queries and raw paths', () => {
    const event = scrubEvent({
      type: 'transaction',
      contexts: {
        trace: {
          trace_id: 't',
          span_id: 's',
          data: {
            'http.route': '/p/:slug',
            'url.full': 'http://x/p/Ab3dE9xYz?t=1',
            'http.target': '/p/Ab3dE9xYz',
            'client.address': '203.0.113.9',
            'net.peer.ip': '203.0.113.9',
            'http.user_agent': 'Mozilla/5.0',
            'http.request.header.cookie': 'jwt',
            'http.method': 'GET',
          },
        },
      },
      spans: [
        {
          span_id: 'c',
          trace_id: 't',
          start_timestamp: 0,
          op: 'db.redis',
          description: 'INCR vertex-ar:rl:auth:203.0.113.9',
          data: { 'db.statement': 'INCR vertex-ar:rl:auth:203.0.113.9' },
        },
        {
          span_id: 'd',
          trace_id: 't',
          start_timestamp: 0,
          op: 'http.client',
          description: 'GET https://s3.example/bucket/key?X-Amz-Signature=abc',
          data: { url: 'https://s3.example/bucket/key?X-Amz-Signature=abc' },
        },
      ],
    });
    expect(event.contexts.trace.data).toEqual({
      'http.route': '/p/:slug',
      'http.method': 'GET',
    });
    expect(event.spans.map((span) => [span.description, span.data])).toEqual([
      ['INCR', {}],
      ['GET https://s3.example/bucket/key', { url: 'https://s3.example/bucket/key' }],
    ]);
  });
});

describe('scrubBreadcrumb', () => {
  it('keeps an outgoing request without its query string', () => {
    expect(
      scrubBreadcrumb({
        category: 'http',
        data: { url: 'https://s3.example/b/k?X-Amz-Signature=abc', 'http.query': 'a=1' },
      }),
    ).toEqual({ category: 'http', data: { url: 'https://s3.example/b/k' } });
  });
});
