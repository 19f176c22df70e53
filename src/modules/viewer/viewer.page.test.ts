import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  READY_PAGE_CSP,
  STATIC_PAGE_CSP,
  VIEWER_TEXT,
  escapeHtml,
  jsonForScript,
  pageCsp,
  printSizeMm,
  renderViewerPage,
  videoPlane,
  type ReadyPage,
} from './viewer.page.js';

const assets = {
  aframe: '/static/vendor/aframe-1.8.0.min.js',
  arjs: '/static/vendor/aframe-ar-nft-3.4.8.js',
  cameraParams: '/static/vendor/camera_para-0123456789abcdef.dat',
  script: '/static/viewer/0123456789abcdef/viewer.js',
  style: '/static/viewer/fedcba9876543210/viewer.css',
};

const ready: ReadyPage = {
  status: 'ready',
  title: 'Anna & Boris',
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

  it('a hostile title stays text in the ready page', () => {
    const html = renderViewerPage(
      { ...ready, title: '</title><script>alert(1)</script>"\'' },
      { assets },
    );
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;');
    // Only our two scripts: the JSON config and viewer.js.
    expect(html.match(/<script/g)).toHaveLength(2);
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
    const html = renderViewerPage({ status }, { assets });
    expect(html).toContain(`data-state="${status}"`);
    expect(html).toContain(words);
    expect(html).not.toContain('<script');
    expect(pageCsp({ status })).toBe(STATIC_PAGE_CSP);
  });

  it('processing refreshes itself, within bounds', () => {
    expect(renderViewerPage({ status: 'processing', refreshSeconds: 0 }, { assets })).toContain(
      '<meta http-equiv="refresh" content="2">',
    );
    expect(renderViewerPage({ status: 'processing', refreshSeconds: 15 }, { assets })).toContain(
      '<meta http-equiv="refresh" content="15">',
    );
  });

  it('a translation replaces every word', () => {
    const html = renderViewerPage(
      { status: 'no_video', title: 'Вера' },
      {
        assets,
        text: {
          ...VIEWER_TEXT,
          lang: 'ru',
          noVideoTitle: 'Видео пока нет',
          noVideo: 'У этого портрета сейчас нет видео.',
        },
      },
    );
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('У этого портрета сейчас нет видео.');
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
