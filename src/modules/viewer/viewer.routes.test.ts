import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBody, registerErrorHandling } from '../../http/errors.js';
import { registerSecurityHeaders } from '../../http/security-headers.js';
import { viewerText } from './viewer.i18n.js';
import { markerUrl, viewerRoutes, type ViewerRoutesOptions } from './viewer.routes.js';
import type { MarkerFileSource, ViewerLookup, ViewerState } from './viewer.types.js';

const assets = {
  aframe: '/static/vendor/aframe-1.8.0.min.js',
  arjs: '/static/vendor/aframe-ar-nft-3.4.8.js',
  cameraParams: '/static/vendor/camera_para-0123456789abcdef.dat',
  cameraParamsDir: '/static/camera/1/',
  arHost: '/static/viewer/0123456789abcdef/ar-host.js',
  script: '/static/viewer/0123456789abcdef/viewer.js',
  style: '/static/viewer/fedcba9876543210/viewer.css',
};

const fset3 = Buffer.from('fset3 '.repeat(2000));
const ready: ViewerState = {
  status: 'ready',
  marker: { portraitId: 'p1', version: 2, widthPx: 1000, heightPx: 1250, dpi: 200 },
  video: { url: '/media/videos/v1/video.mp4' },
};

interface Calls {
  lookups: string[];
  opened: string[];
}

async function build(
  lookup: Partial<ViewerLookup> = {},
  options: { streams?: boolean; routes?: Partial<ViewerRoutesOptions> } = {},
): Promise<{ app: FastifyInstance; calls: Calls }> {
  const calls: Calls = { lookups: [], opened: [] };
  const markers: MarkerFileSource = {
    async open(portraitId, version, ext) {
      calls.opened.push(`${portraitId}/${version}/${ext}`);
      if (portraitId !== 'p1' || version !== '2') return null;
      const bytes = ext === 'fset3' ? fset3 : Buffer.from(`${ext} bytes`);
      return {
        body: options.streams === true ? Readable.from([bytes]) : bytes,
        size: bytes.length,
        etag: `"p1-2-${ext}"`,
      };
    },
  };
  const app = Fastify({ logger: false });
  app.addSchema(ErrorBody);
  registerErrorHandling(app);
  // As in src/app.ts: the page's own CSP and camera policy win over the defaults.
  await registerSecurityHeaders(app);
  await app.register(
    viewerRoutes(
      {
        async findBySlug(slug) {
          calls.lookups.push(slug);
          return slug === 'anna' ? ready : null;
        },
        ...lookup,
      },
      { assets, markers, ...options.routes },
    ),
  );
  await app.ready();
  return { app, calls };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('GET /p/:slug', () => {
  it('renders the ready page with the marker URL the marker route serves', async () => {
    const built = await build();
    app = built.app;
    const response = await app.inject({ url: '/p/anna' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-cache');
    expect(response.body).toContain(`url="${markerUrl('p1', 2)}"`);
    expect(markerUrl('p1', 2)).toBe('markers/p1/2/marker');
    expect(response.body).not.toContain('/events'); // no recordEvent: no beacon, no route
    expect((await app.inject({ method: 'POST', url: '/p/anna/events' })).statusCode).toBe(404);
  });

  it('does not ask the lookup about slugs that cannot exist', async () => {
    const built = await build();
    app = built.app;
    const response = await app.inject({ url: '/p/a.b' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(built.calls.lookups).toEqual([]);
  });

  it('a failing view recorder never breaks the page', async () => {
    const built = await build({
      recordView: () => {
        throw new Error('analytics down');
      },
    });
    app = built.app;
    expect((await app.inject({ url: '/p/anna' })).statusCode).toBe(200);
  });
});

describe('GET /p/:slug: language', () => {
  const ru = viewerText('ru');
  const en = viewerText('en');

  it('speaks Russian by default, and says that the answer varies with Accept-Language', async () => {
    ({ app } = await build());
    const response = await app.inject({ url: '/p/anna' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<html lang="ru">');
    expect(response.body).toContain(ru.lead);
    expect(response.body).toContain('"locale":"ru"');
    expect(response.headers.vary).toBe('Accept-Language');
  });

  it('follows Accept-Language', async () => {
    ({ app } = await build());
    const response = await app.inject({
      url: '/p/anna',
      headers: { 'accept-language': 'en-US,en;q=0.9,ru;q=0.8' },
    });
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toContain(en.lead);
    const german = await app.inject({
      url: '/p/anna',
      headers: { 'accept-language': 'de-DE, ru;q=0.5' },
    });
    expect(german.body).toContain('<html lang="ru">');
  });

  it('?lang= wins over Accept-Language', async () => {
    ({ app } = await build());
    const english = await app.inject({ url: '/p/anna?lang=en' });
    expect(english.body).toContain('<html lang="en">');
    const russian = await app.inject({
      url: '/p/anna?lang=ru',
      headers: { 'accept-language': 'en' },
    });
    expect(russian.body).toContain('<html lang="ru">');
    expect(russian.body).toContain(ru.lead);
  });

  it('ignores an unknown, repeated or overlong ?lang= instead of refusing the page', async () => {
    ({ app } = await build());
    for (const query of ['lang=de', 'lang=', `lang=${'x'.repeat(500)}`, 'lang=en&lang=ru']) {
      const response = await app.inject({
        url: `/p/anna?${query}`,
        headers: { 'accept-language': 'en' },
      });
      expect(response.statusCode, query).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body, query).toContain('<html lang="en">');
    }
  });

  it('takes the configured default language', async () => {
    ({ app } = await build({}, { routes: { defaultLocale: 'en' } }));
    expect((await app.inject({ url: '/p/anna' })).body).toContain('<html lang="en">');
    const russian = await app.inject({ url: '/p/anna', headers: { 'accept-language': 'ru' } });
    expect(russian.body).toContain('<html lang="ru">');
  });

  it('adds to a Vary another plugin has set', async () => {
    const built = await build();
    app = built.app;
    await app.close();
    const withCors = Fastify({ logger: false });
    withCors.addHook('onRequest', async (_request, reply) => {
      reply.header('vary', 'Origin');
    });
    await withCors.register(
      viewerRoutes(
        { findBySlug: async () => ready },
        { assets, markers: { open: async () => null } },
      ),
    );
    app = withCors;
    expect((await app.inject({ url: '/p/anna' })).headers.vary).toBe('Origin, Accept-Language');
  });

  const states: Record<string, ViewerState | 'throws' | null> = {
    processing: { status: 'processing' },
    failed: { status: 'failed' },
    novideo: { status: 'no_video' },
    missing: null,
    broken: 'throws',
  };
  const lookup: Partial<ViewerLookup> = {
    async findBySlug(slug) {
      const state = states[slug] === undefined ? ready : states[slug];
      if (state === 'throws') throw new Error('database down');
      return state;
    },
  };

  it.each([
    ['processing', 200, 'processing', 'processingTitle', 'processing'],
    ['failed', 200, 'failed', 'failedTitle', 'failed'],
    ['novideo', 200, 'no_video', 'noVideoTitle', 'noVideo'],
    ['missing', 404, 'not_found', 'notFoundTitle', 'notFound'],
    ['a.b', 404, 'not_found', 'notFoundTitle', 'notFound'],
    ['broken', 500, 'failed', 'serverErrorTitle', 'serverError'],
  ] as const)(
    '/p/%s answers %i, %s, in both languages',
    async (slug, status, state, title, words) => {
      ({ app } = await build(lookup));
      for (const [lang, text] of [
        ['ru', ru],
        ['en', en],
      ] as const) {
        const response = await app.inject({ url: `/p/${slug}?lang=${lang}` });
        expect(response.statusCode).toBe(status);
        expect(response.headers.vary).toBe('Accept-Language');
        expect(response.headers['cache-control']).toBe('no-store');
        expect(response.body).toContain(`<html lang="${lang}">`);
        expect(response.body).toContain(`data-state="${state}"`);
        expect(response.body).toContain(`<h1 class="vx-title">${text[title]}</h1>`);
        expect(response.body).toContain(text[words]);
        expect(response.body).toContain('aria-current="true">' + text.languageName + '</a>');
      }
    },
  );
});

describe('GET /p/:slug: no personal data, the studio instead', () => {
  it('a lookup cannot pass a client name, and one smuggled in is never shown', async () => {
    // @ts-expect-error: a page state has no place for a title (or any client data).
    const typed: ViewerState = { status: 'failed', title: 'Anna Petrova' };
    const smuggled = { ...ready, title: 'Anna Petrova', clientName: 'Anna Petrova' };
    ({ app } = await build({
      async findBySlug(slug) {
        return slug === 'anna' ? smuggled : typed;
      },
    }));
    for (const url of ['/p/anna', '/p/anna?lang=en', '/p/other', '/p/other?lang=en']) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toContain('Anna');
      expect(response.body).not.toContain('Petrova');
    }
  });

  it('names the studio in the title and heading, with its logo and contact link', async () => {
    ({ app } = await build(
      {},
      {
        routes: {
          studio: {
            name: 'Фотостудия «Вертекс» <b>',
            logoUrl: 'https://cdn.studio.example/logo.png',
            contactUrl: 'mailto:hello@studio.example',
          },
        },
      },
    ));
    const response = await app.inject({ url: '/p/anna' });
    const name = 'Фотостудия «Вертекс» &lt;b&gt;';
    expect(response.body).toContain(`<title>${name} · Живой портрет</title>`);
    expect(response.body).toContain(`<h1 class="vx-title">${name} · Живой портрет</h1>`);
    expect(response.body).not.toContain('<b>');
    expect(response.body).toContain('src="https://cdn.studio.example/logo.png"');
    expect(response.body).toContain(
      '<a class="vx-contact" href="mailto:hello@studio.example" rel="noopener">',
    );
    // The language links keep the page's path: the ready page has <base href="/">.
    expect(response.body).toContain('href="/p/anna?lang=en"');
    expect(response.headers['content-security-policy']).toContain(
      "img-src 'self' https://cdn.studio.example;",
    );
    const missing = await app.inject({ url: '/p/nobody?lang=en' });
    expect(missing.body).toContain(`<p class="vx-brand-name">${name}</p>`);
    expect(missing.body).toContain('href="?lang=ru"');
    expect(missing.headers['content-security-policy']).toContain(
      "img-src 'self' https://cdn.studio.example;",
    );
  });

  it('shows the logo uploaded in the admin app unless one is configured; a failing lookup none', async () => {
    let uploaded: () => Promise<string | undefined> = () =>
      Promise.resolve('/media/studio/logo.png?v=0123456789abcdef');
    ({ app } = await build({}, { routes: { uploadedLogoUrl: () => uploaded() } }));
    const withLogo = await app.inject({ url: '/p/anna' });
    expect(withLogo.body).toContain('src="/media/studio/logo.png?v=0123456789abcdef"');
    expect(withLogo.headers['content-security-policy']).toContain("img-src 'self';");
    uploaded = () => Promise.reject(new Error('database down'));
    const failed = await app.inject({ url: '/p/anna' });
    expect(failed.statusCode).toBe(200);
    expect(failed.body).not.toContain('vx-brand-logo');
    uploaded = () => Promise.resolve('javascript:alert(1)');
    expect((await app.inject({ url: '/p/anna' })).body).not.toContain('javascript:');
  });

  it('names Vertex AR when no studio is configured, and keeps the CSP as tight as before', async () => {
    ({ app } = await build());
    const response = await app.inject({ url: '/p/anna' });
    expect(response.body).toContain('<title>Vertex AR · Живой портрет</title>');
    expect(response.headers['content-security-policy']).toContain("img-src 'self';");
  });

  it.each([
    { name: 'S', logoUrl: 'javascript:alert(1)' },
    { name: 'S', logoUrl: 'http://cdn.example/logo.png' },
    { name: 'S', contactUrl: 'javascript:alert(1)' },
    { name: '' },
  ])('refuses the branding %j at start-up', (studio) => {
    expect(() =>
      viewerRoutes(
        { findBySlug: async () => null },
        { assets, markers: { open: async () => null }, studio },
      ),
    ).toThrow();
  });
});

describe('GET /markers/:portraitId/:version/marker.:ext', () => {
  it.each([false, true])('negotiates brotli, gzip, identity (stream body: %s)', async (streams) => {
    const built = await build({}, { streams });
    app = built.app;
    const url = '/markers/p1/2/marker.fset3';
    const br = await app.inject({ url, headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.etag).toBe('"p1-2-fset3-br"');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['x-decoded-length']).toBe(String(fset3.length));
    expect(brotliDecompressSync(br.rawPayload).equals(fset3)).toBe(true);
    const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(gz.rawPayload).equals(fset3)).toBe(true);
    const plain = await app.inject({ url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-length']).toBe(String(fset3.length));
    expect(plain.rawPayload.equals(fset3)).toBe(true);
  });

  it('answers 304 for a known ETag, HEAD without a body', async () => {
    const built = await build({}, { streams: true });
    app = built.app;
    const url = '/markers/p1/2/marker.iset';
    const again = await app.inject({ url, headers: { 'if-none-match': '"p1-2-iset"' } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const head = await app.inject({ method: 'HEAD', url });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('404 for other files and unknown markers; 400 for impossible identifiers', async () => {
    const built = await build();
    app = built.app;
    expect((await app.inject({ url: '/markers/p1/2/marker.png' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/markers/p1/2/other.iset' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/markers/p1/3/marker.iset' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/markers/p%2E%2E/2/marker.iset' })).statusCode).toBe(400);
    expect(built.calls.opened).toEqual(['p1/3/iset']);
  });
});

describe('POST /p/:slug/events', () => {
  it('records a valid event and ignores recorder failures', async () => {
    const events: string[] = [];
    const built = await build({
      async recordEvent(event) {
        events.push(`${event.slug}:${event.event}:${event.sinceLoadMs}`);
        if (event.event === 'marker_lost') throw new Error('down');
      },
    });
    app = built.app;
    const current = built.app;
    const send = (payload: Record<string, unknown>) =>
      current.inject({ method: 'POST', url: '/p/anna/events', payload });
    expect((await send({ event: 'marker_found', sinceLoadMs: 2500 })).statusCode).toBe(204);
    expect((await send({ event: 'marker_lost', sinceLoadMs: 9000 })).statusCode).toBe(204);
    expect((await send({ event: 'hack', sinceLoadMs: 1 })).statusCode).toBe(400);
    expect((await send({ event: 'start', sinceLoadMs: -1 })).statusCode).toBe(400);
    // Fastify's Ajv strips unknown properties (removeAdditional) rather than refusing them.
    expect((await send({ event: 'start', sinceLoadMs: 1, extra: 1 })).statusCode).toBe(204);
    expect(events).toEqual(['anna:marker_found:2500', 'anna:marker_lost:9000', 'anna:start:1']);
    const page = await app.inject({ url: '/p/anna' });
    expect(page.body).toContain('"analyticsUrl":"/p/anna/events"');
  });
});

describe('browser protections of the page', () => {
  it('allows the camera only on the ready page, and never framing or inline code', async () => {
    const built = await build({
      async findBySlug(slug) {
        return slug === 'anna' ? ready : slug === 'later' ? { status: 'processing' } : null;
      },
    });
    app = built.app;
    const readyPage = await app.inject({ url: '/p/anna' });
    const otherPages = [
      await app.inject({ url: '/p/later' }),
      await app.inject({ url: '/p/nobody' }),
    ];
    expect([readyPage, ...otherPages].map((r) => r.statusCode)).toEqual([200, 200, 404]);
    expect(readyPage.headers['permissions-policy']).toMatch(/^camera=\(self\), microphone=\(\)/);
    for (const page of otherPages) {
      expect(page.headers['permissions-policy']).toMatch(/^camera=\(\)/);
      expect(page.headers['content-security-policy']).not.toContain('script-src');
    }
    for (const page of [readyPage, ...otherPages]) {
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['x-content-type-options']).toBe('nosniff');
    }
    // 'unsafe-eval' only where AR.js runs (see READY_PAGE_CSP for the proof that it must).
    expect(String(readyPage.headers['content-security-policy'])).toContain("'unsafe-eval'");
  });
});
