/**
 * A small, checked patch of AR.js 3.4.8's `aframe-ar-nft.js`, applied when the viewer assets are
 * loaded (the served file's URL carries its hash). AR.js keeps what it does well — A-Frame
 * integration, the ARToolKit NFT worker (wasm), pose smoothing, found/lost events — and hands to
 * the page (`web/viewer/ar-host.js`, `window.__vertexAr`) what it gets wrong on phones:
 *
 * 1. Sizing. AR.js sizes the camera `<video>` to cover `innerWidth × innerHeight` (wider than the
 *    screen, negative margins), copies that size onto `<body>` from a `resize` listener, and in
 *    portrait forces a 4:3 width. Under mobile viewport rules a body wider than the screen widens
 *    the layout viewport, so `innerWidth` grows and the next resize grows it again (393 → 1572 px;
 *    a 117 Mpx WebGL canvas). The page lays the camera out with CSS (`object-fit: cover`) and
 *    sets the projection for that crop; the body is never touched.
 * 2. The tracker's frame. AR.js letterboxes every stream into a 4:3 frame sized from the
 *    element's CSS size (wrong once it is resized) with the 640×480 camera model: a portrait
 *    stream uses 42 % of the frame's pixels. The page processes frames in the stream's own aspect,
 *    with a camera model for exactly that frame, one frame in flight, only new camera frames,
 *    and starts again when the stream's orientation changes (a phone turned over).
 * 3. Camera constraints: chosen by the page (rear camera, a resolution phones honour).
 * 4. Main-thread work: AR.js also compiles a second ARToolKit (wasm) on the main thread at Start
 *    and runs square-marker detection on a 640×480 copy of every frame there, although an NFT
 *    page has no square marker and tracks in its worker: both removed; the page supplies the
 *    small controller object AR.js still consults (`showObject`, event registration).
 *
 * Each replacement must match exactly once, or loading fails (a new AR.js version needs a look).
 */

export const ARJS_PATCHED_VERSION = '3.4.8';

interface Span {
  /** What the replaced code does, for error messages. */
  name: string;
  start: string;
  /** The span ends right before this text (the first one after `start`)... */
  before?: string;
  /** ...or right after it. Without either, the span is `start` alone. */
  through?: string;
  /** Texts the span must contain: proof that it is the code we mean. */
  contains?: string[];
  replacement: string;
}

const SPANS: Span[] = [
  {
    name: 'source resize (camera video, canvas and projection sizing)',
    start: 'm.prototype.onResize=function(A,I,g){',
    before: 'const p=m,f=function(A){',
    contains: ['this.onResizeElement()', 'g.projectionMatrix.copy(A.getProjectionMatrix())'],
    replacement:
      'm.prototype.onResize=function(A,I,g){window.__vertexAr.onResize(this.domElement,I,g)};',
  },
  {
    name: 'copying the camera size onto <body>',
    start:
      'var I=A._arSession.arSource;"tango"!==g.contextParameters.trackingBackend&&I.copyElementSizeTo(document.body);',
    replacement: 'var I=A._arSession.arSource;',
  },
  {
    name: 'camera constraints',
    start:
      'var Q={audio:!1,video:{facingMode:"environment",width:{ideal:g.parameters.sourceWidth},height:{ideal:g.parameters.sourceHeight}}};',
    replacement: 'var Q=window.__vertexAr.cameraConstraints();',
  },
  {
    name: 'main-thread ARToolKit controller',
    start:
      'G.initWithDimensions(g.parameters.canvasWidth,g.parameters.canvasHeight,g.parameters.cameraParametersUrl).then(I=>{',
    through: 'I.setLabelingMode(Q),A()})',
    contains: ['setPatternDetectionMode', 'setLabelingMode'],
    replacement: '(g.arController=window.__vertexAr.createController(),Promise.resolve().then(A))',
  },
  {
    name: 'main-thread square-marker detection',
    start: 'y.prototype._updateArtoolkit=function(A){this.arController.process(A)}',
    replacement: 'y.prototype._updateArtoolkit=function(A){}',
  },
  {
    name: 'NFT tracker loop',
    start: 'function(I,g){var B=new i;window.addEventListener("arjs-video-loaded",function(Q){',
    through: '}(A.parameters.descriptorsUrl,I)',
    contains: ['type:"init"', 'type:"process"', 'clientWidth', 'arjs-nft-loaded'],
    // `i` is AR.js's inline-worker constructor, `C` its "pose found" handler, `a` ARToolkit.
    replacement:
      'window.__vertexAr.trackNft({createWorker:function(){return new i},' +
      'markerUrl:A.parameters.descriptorsUrl,controller:I,' +
      'onPose:function(m){C({data:{type:a.NFT_MARKER,matrix:m,msg:"found"}})}})',
  },
];

function countOf(source: string, text: string): number {
  return source.split(text).length - 1;
}

/** Applies every replacement; throws if any does not match exactly once. */
export function patchArjs(source: string): string {
  let out = source;
  for (const span of SPANS) {
    const fail = (why: string): never => {
      throw new Error(`AR.js patch "${span.name}": ${why}`);
    };
    const marks = [span.start, span.before, span.through].filter((t) => t !== undefined);
    for (const mark of marks) if (countOf(out, mark) !== 1) fail(`"${mark}" must occur once`);
    const start = out.indexOf(span.start);
    let end = start + span.start.length;
    if (span.before !== undefined) end = out.indexOf(span.before);
    if (span.through !== undefined) end = out.indexOf(span.through) + span.through.length;
    if (end < start + span.start.length) fail('end before start');
    const replaced = out.slice(start, end);
    for (const needle of span.contains ?? []) {
      if (!replaced.includes(needle)) fail(`expected code missing: ${needle}`);
    }
    out = out.slice(0, start) + span.replacement + out.slice(end);
  }
  return out;
}
