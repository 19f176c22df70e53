import { describe, expect, it } from 'vitest';
import { budgetsOf, type RouteShape } from './rate-limit-routes.js';

const route = (method: string, url: string, extra: Partial<RouteShape> = {}): RouteShape => ({
  method,
  url,
  guarded: false,
  multipart: false,
  ...extra,
});

describe('budgetsOf', () => {
  it('puts login (an unguarded POST under /api/auth/) on the login budget, then the API one', () => {
    expect(budgetsOf(route('POST', '/api/auth/login'))).toEqual(['auth', 'global']);
  });

  it("puts single sign-on's start and callback (unguarded GETs that sign in) on the login budget", () => {
    for (const step of ['start', 'callback']) {
      expect(budgetsOf(route('GET', `/api/auth/sso/:provider/${step}`))).toEqual([
        'auth',
        'global',
      ]);
    }
    expect(budgetsOf(route('GET', '/api/auth/sso/providers'))).toEqual(['global']);
  });

  it('does not treat guarded auth routes (logout, sessions) or reads as credential routes', () => {
    expect(budgetsOf(route('POST', '/api/auth/logout', { guarded: true }))).toEqual(['global']);
    expect(budgetsOf(route('GET', '/api/auth/me', { guarded: true }))).toEqual(['global']);
  });

  it('puts multipart routes on the upload budget, then the API one', () => {
    expect(budgetsOf(route('POST', '/api/orders', { guarded: true, multipart: true }))).toEqual([
      'upload',
      'global',
    ]);
    expect(budgetsOf(route('GET', '/api/orders', { guarded: true }))).toEqual(['global']);
  });

  it('puts the public page, its events, media, markers and runtime on the public budget', () => {
    for (const url of [
      '/p/:slug',
      '/p/:slug/events',
      '/media/videos/:id/video.mp4',
      '/markers/:portraitId/:version/:file',
      '/static/viewer/abc/viewer.js',
    ]) {
      expect(budgetsOf(route('GET', url)), url).toEqual(['public']);
    }
  });

  it('leaves probes and the admin app alone', () => {
    for (const url of ['/health', '/ready', '/version', '/admin', '/admin/*', '/pricing']) {
      expect(budgetsOf(route('GET', url)), url).toEqual([]);
    }
  });
});
