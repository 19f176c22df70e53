import { describe, expect, it } from 'vitest';
import { isSecureContextReady, systemInfo } from './system.service.js';

describe('isSecureContextReady', () => {
  it.each([
    ['https://ar.example.com', true],
    ['https://ar.example.com:8443/vertex', true],
    ['http://ar.example.com', false],
    // Secure for a browser on the server itself, but a phone never reaches it as localhost.
    ['http://localhost:8080', false],
    ['http://127.0.0.1:8080', false],
    ['http://[::1]:8080', false],
    ['not a url', false],
  ])('%s → %s', (url, ready) => {
    expect(isSecureContextReady(url)).toBe(ready);
  });

  it('reports the base URL and version with it', () => {
    expect(systemInfo('http://studio.lan')).toMatchObject({
      publicBaseUrl: 'http://studio.lan',
      secureContextReady: false,
      version: expect.any(String) as string,
    });
  });
});
