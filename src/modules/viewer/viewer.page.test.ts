import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VIEWER_LOCALES, viewerText, type ViewerLocale } from './viewer.i18n.js';
import {
  READY_PAGE_CSP,
  STATIC_PAGE_CSP,
  escapeHtml,
  isStudioContactUrl,
  isStudioLogoUrl,
  jsonForScript,
  pageCsp,
  printSizeMm,
  renderViewerPage,
  videoPlane,
  type ReadyPage,
  type ViewerPage,
} from './viewer.page.js';
import type { StudioBranding } from './viewer.types.js';

const assets = {
  aframe: '/static/vendor/aframe-1.8.0.min.js',
  arjs: '/static/vendor/aframe-ar-nft-3.4.8.js',
  cameraParams: '/static/vendor/camera_para-0123456789abcdef.dat',
  cameraParamsDir: '/static/camera/1/',
  arHost: '/static/viewer/0123456789abcdef/ar-host.js',
  script: '/static/viewer/0123456789abcdef/viewer.js',
  style: '/static/viewer/fedcba9876543210/viewer.css',
};

const ready: ReadyPage = {
  status: 'ready',
  pagePath: '/p/abc',
  markerUrl: 'markers/0190-abc/3/marker',
  marker: { widthPx: 1637, heightPx: 2048, dpi: 220 },
  videoUrl: '/media/v/1.mp4',
  posterUrl: '/media/v/1.jpg',
  analyticsUrl: '/p/abc/events',
};

const unescape = (html: string): string =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');

describe('escaping', () => {
  it('escapeHtml leaves no markup or quote and loses nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const escaped = escapeHtml(value);
        expect(escaped).not.toMatch(/[<>"'`]/);
        expect(unescape(escaped)).toBe(value);
      }),
    );
  });

  it('jsonForScript cannot close its <script> or open a comment, and round-trips', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = jsonForScript(value);
        expect(json).not.toMatch(/<|>|&|\u2028|\u2029/);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('a hostile studio name stays text in the ready page', () => {
    const html = renderViewerPage(ready, {
      assets,
      studio: { name: '</title><script>alert(1)</script>"\'' },
    });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;');
    // Only our scripts: the JSON config and same-origin files.
    for (const tag of html.match(/<script[^>]*>/g) ?? []) {
      expect(tag).toMatch(/^<script (type="application\/json" id="vx-config"|src="\/static\/)/);
    }
  });
});

describe('sizes', () => {
  it('turns the marker size into millimetres: width / dpi * 25.4', () => {
    const { widthMm, heightMm } = printSizeMm({ widthPx: 2000, heightPx: 1000, dpi: 254 });
    expect(widthMm).toBeCloseTo(200, 9);
    expect(heightMm).toBeCloseTo(100, 9);
  });

  it('centres the plane on the image: origin bottom-left, laid flat', () => {
    expect(videoPlane({ widthPx: 2000, heightPx: 1000, dpi: 254 })).toEqual({
      width: '200',
      height: '100',
      position: '100 0 -50',
      rotation: '-90 0 0',
    });
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects a dpi of %s', (dpi) => {
    expect(() => printSizeMm({ widthPx: 10, heightPx: 10, dpi })).toThrow();
  });
});

describe('ready page', () => {
  const html = renderViewerPage(ready, { assets });

  it('wires AR.js: relative marker URL, our camera parameters, the sized video plane', () => {
    expect(html).toContain('<base href="/">');
    expect(html).toContain('<a-nft id="vx-nft" type="nft" url="markers/0190-abc/3/marker"');
    expect(html).toContain('cameraParametersUrl: static/vendor/camera_para-0123456789abcdef.dat');
    expect(html).toContain('debugUIEnabled: false');
    expect(html).toMatch(
      /<a-video id="vx-plane" src="#vx-video" width="188.999" height="236.451" position="94.5 0 -118.225" rotation="-90 0 0">/,
    );
    expect(html).toMatch(
      /<video id="vx-video"[^>]* playsinline webkit-playsinline crossorigin="anonymous">/,
    );
    expect(html).toContain('id="vx-start"');
  });

  it('loads scripts from our origin only', () => {
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? '');
    for (const url of urls) expect(url).toMatch(/^(\/(?!\/)|#|markers\/)/);
    expect(html).not.toMatch(/https?:/);
  });

  it.each([
    ['an absolute marker URL', { markerUrl: '/markers/x/1/marker' }],
    ['a marker URL on another host', { markerUrl: 'https://cdn.example/m' }],
    ['a marker URL going up', { markerUrl: 'markers/../../etc/passwd' }],
    ['a third-party video', { videoUrl: 'https://cdn.example/v.mp4' }],
    ['a protocol-relative video', { videoUrl: '//cdn.example/v.mp4' }],
    ['a javascript: poster', { posterUrl: 'javascript:alert(1)' }],
    ['an analytics URL elsewhere', { analyticsUrl: 'https://tracker.example/e' }],
  ])('refuses %s', (_label, change) => {
    expect(() => renderViewerPage({ ...ready, ...change }, { assets })).toThrow();
  });
});

describe('other states', () => {
  it.each([
    ['processing', 'still being prepared'],
    ['failed', 'Please contact the studio'],
    ['no_video', 'This portrait has no video right now'],
    ['not_found', 'There is no living portrait at this address'],
  ] as const)('%s: plain text, no script', (status, words) => {
    const html = renderViewerPage({ status }, { assets, locale: 'en' });
    expect(html).toContain(`data-state="${status}"`);
    expect(html).toContain(words);
    expect(html).not.toContain('<script');
    expect(pageCsp({ status })).toBe(STATIC_PAGE_CSP);
  });

  it('the server error page is the failed state with its own words', () => {
    const html = renderViewerPage({ status: 'server_error' }, { assets, locale: 'en' });
    expect(html).toContain('data-state="failed"');
    expect(html).toContain('could not be loaded');
    expect(html).not.toContain('<script');
    expect(pageCsp({ status: 'server_error' })).toBe(STATIC_PAGE_CSP);
  });

  it('processing refreshes itself, within bounds', () => {
    expect(renderViewerPage({ status: 'processing', refreshSeconds: 0 }, { assets })).toContain(
      '<meta http-equiv="refresh" content="2">',
    );
    expect(renderViewerPage({ status: 'processing', refreshSeconds: 15 }, { assets })).toContain(
      '<meta http-equiv="refresh" content="15">',
    );
  });
});

const EVERY_PAGE: [string, ViewerPage, string][] = [
  ['ready', ready, 'ready'],
  ['processing', { status: 'processing' }, 'processing'],
  ['failed', { status: 'failed' }, 'failed'],
  ['no_video', { status: 'no_video' }, 'no_video'],
  ['not_found', { status: 'not_found' }, 'not_found'],
  ['server_error', { status: 'server_error' }, 'failed'],
];

/** The words a page state shows, in one language. */
function stateWords(label: string, locale: ViewerLocale): string[] {
  const text = viewerText(locale);
  switch (label) {
    case 'ready':
      return [text.productName, text.lead, text.start];
    case 'processing':
      return [text.processingTitle, text.processing];
    case 'failed':
      return [text.failedTitle, text.failed];
    case 'no_video':
      return [text.noVideoTitle, text.noVideo];
    case 'not_found':
      return [text.notFoundTitle, text.notFound];
    default:
      return [text.serverErrorTitle, text.serverError];
  }
}

describe('languages', () => {
  it('speaks Russian by default', () => {
    const html = renderViewerPage({ status: 'no_video' }, { assets });
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('Видео пока нет');
  });

  describe.each(VIEWER_LOCALES)('every state in %s', (locale) => {
    const other = VIEWER_LOCALES.find((l) => l !== locale) ?? locale;

    it.each(EVERY_PAGE)('%s', (label, page, state) => {
      const html = renderViewerPage(page, { assets, locale });
      expect(html).toContain(`<html lang="${locale}">`);
      expect(html).toContain(`data-state="${state}"`);
      for (const words of stateWords(label, locale)) expect(html).toContain(escapeHtml(words));
      // The JSON config carries the dictionary's keys (`readyToStart`…): look at the markup.
      const markup = html.replace(/<script type="application\/json"[^]*?<\/script>/, '');
      for (const words of stateWords(label, other)) expect(markup).not.toContain(escapeHtml(words));
    });
  });

  it.each(EVERY_PAGE)(
    '%s: a language switch of plain links, the current one marked',
    (_l, page) => {
      const html = renderViewerPage(page, { assets, locale: 'en' });
      const base = page.status === 'ready' ? '/p/abc' : '';
      expect(html).toContain(
        `<a class="vx-lang-link" href="${base}?lang=ru" hreflang="ru" lang="ru">Русский</a>`,
      );
      expect(html).toContain(
        `<a class="vx-lang-link" href="${base}?lang=en" hreflang="en" lang="en" aria-current="true">English</a>`,
      );
      expect(html.match(/aria-current/g)).toHaveLength(1);
    },
  );

  it('the ready page hands the script its locale and the whole dictionary', () => {
    const html = renderViewerPage(ready, { assets, locale: 'en' });
    const json = /<script type="application\/json" id="vx-config">(.*?)<\/script>/.exec(html)?.[1];
    const config = JSON.parse(json ?? 'null') as { locale: string; text: unknown };
    expect(config.locale).toBe('en');
    expect(config.text).toEqual(viewerText('en'));
    const ru = renderViewerPage(ready, { assets });
    expect(ru).toContain('"locale":"ru"');
    expect(ru).toContain(jsonForScript(viewerText('ru').playVideo));
  });
});

describe('studio branding', () => {
  const studio = {
    name: 'Фотостудия «Вертекс» & Co',
    logoUrl: '/media/studio/logo.png?v=0123abcd',
    contactUrl: 'tel:+79001234567',
  };

  it('titles the ready page with the studio, never a client', () => {
    const html = renderViewerPage(ready, { assets, studio });
    const title = 'Фотостудия «Вертекс» &amp; Co · Живой портрет';
    expect(html).toContain(`<title>${title}</title>`);
    expect(html).toContain(`<h1 class="vx-title">${title}</h1>`);
  });

  it.each(EVERY_PAGE)('%s: logo, name and contact link, escaped', (_label, page) => {
    const html = renderViewerPage(page, { assets, studio });
    expect(html).toContain('Фотостудия «Вертекс» &amp; Co');
    expect(html).not.toContain('«Вертекс» & Co');
    expect(html).toContain(
      '<img class="vx-brand-logo" src="/media/studio/logo.png?v=0123abcd" alt="" decoding="async">',
    );
    expect(html).toContain(
      '<a class="vx-contact" href="tel:+79001234567" rel="noopener">Связаться со студией</a>',
    );
  });

  it('has no place for a client name: one smuggled into a page is never rendered', () => {
    for (const [, page] of EVERY_PAGE) {
      // Object.assign slips past the excess-property check: the page types have no such field.
      const smuggled: ViewerPage = Object.assign({ title: 'Anna Petrova' }, page);
      expect(renderViewerPage(smuggled, { assets })).not.toContain('Anna');
    }
  });

  it('shows no logo and no contact link when none is configured', () => {
    for (const [, page] of EVERY_PAGE) {
      const html = renderViewerPage(page, { assets });
      expect(html).toContain('Vertex AR');
      expect(html).not.toContain('vx-brand-logo');
      expect(html).not.toContain('vx-contact');
    }
  });

  it('escapes a contact link that carries quotes', () => {
    const html = renderViewerPage(
      { status: 'failed' },
      { assets, studio: { name: 'S', contactUrl: 'mailto:a@b.example?subject="hi"' } },
    );
    expect(html).toContain('href="mailto:a@b.example?subject=&quot;hi&quot;"');
  });

  it('allows an https: logo in img-src, and only that origin', () => {
    const remote: StudioBranding = { name: 'S', logoUrl: 'https://cdn.studio.example/l.png' };
    expect(pageCsp(ready, remote)).toBe(
      READY_PAGE_CSP.replace("img-src 'self'", "img-src 'self' https://cdn.studio.example"),
    );
    expect(pageCsp({ status: 'failed' }, remote)).toContain(
      "img-src 'self' https://cdn.studio.example;",
    );
    expect(pageCsp(ready, { name: 'S', logoUrl: '/media/l.png' })).toBe(READY_PAGE_CSP);
    expect(renderViewerPage(ready, { assets, studio: remote })).toContain(
      'src="https://cdn.studio.example/l.png"',
    );
  });

  it.each([
    ['a javascript: logo', { logoUrl: 'javascript:alert(1)' }],
    ['an http: logo', { logoUrl: 'http://cdn.example/l.png' }],
    ['a protocol-relative logo', { logoUrl: '//cdn.example/l.png' }],
    ['a data: logo', { logoUrl: 'data:image/png;base64,AAAA' }],
    ['a javascript: contact', { contactUrl: 'javascript:alert(1)' }],
    ['an http: contact', { contactUrl: 'http://studio.example' }],
    ['an empty name', { name: ' ' }],
  ])('refuses %s', (_label, change) => {
    expect(() =>
      renderViewerPage({ status: 'failed' }, { assets, studio: { name: 'S', ...change } }),
    ).toThrow();
  });

  it('URL rules: logos are same-origin paths or https:, contacts https:, tel:, mailto:', () => {
    for (const good of ['/media/logo.png', '/media/studio/logo.png?v=1', 'https://x.example/l.png'])
      expect(isStudioLogoUrl(good), good).toBe(true);
    for (const bad of [
      'logo.png',
      '//x.example/l.png',
      '/\\x.example',
      'http://x.example/l.png',
      'https://user:pw@x.example/l.png',
      'https://x.example/a b.png',
      'javascript:alert(1)',
    ])
      expect(isStudioLogoUrl(bad), bad).toBe(false);
    for (const good of [
      'https://studio.example/contact',
      'tel:+79001234567',
      'mailto:hi@x.example',
    ])
      expect(isStudioContactUrl(good), good).toBe(true);
    for (const bad of [
      'tel:',
      'http://studio.example',
      'ftp://studio.example',
      'javascript:alert(1)',
      'data:text/html,hi',
      '/contact',
      'tel:+7 900',
    ])
      expect(isStudioContactUrl(bad), bad).toBe(false);
  });
});

describe('content security policy', () => {
  it('ready page: scripts from self (+ eval for the tracker wasm glue), nothing inline', () => {
    expect(pageCsp(ready)).toBe(READY_PAGE_CSP);
    expect(READY_PAGE_CSP).toContain("default-src 'none'");
    expect(READY_PAGE_CSP).toContain("script-src 'self' 'unsafe-eval'");
    expect(READY_PAGE_CSP).toContain('worker-src blob:');
    expect(READY_PAGE_CSP).not.toContain('unsafe-inline');
    expect(READY_PAGE_CSP).not.toMatch(/https?:|\*/);
  });
});
