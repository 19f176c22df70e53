/* Vertex AR public page: the page's side of the AR.js 3.4.8 patch (src/modules/viewer/arjs-patch.ts).
 *
 * AR.js calls window.__vertexAr for what it got wrong on phones:
 *  - cameraConstraints(): the getUserMedia constraints;
 *  - onResize(cameraVideo, renderer, camera): every frame; keeps the canvas at the screen's size
 *    in device pixels (capped) and sets the projection for the camera image as laid out by CSS
 *    (object-fit: cover of the screen) — AR.js no longer sizes anything;
 *  - trackNft({createWorker, markerUrl, controller, onPose}): runs the NFT tracker's loop: frames
 *    in the stream's own aspect, a camera model made for that frame, one frame in flight, only
 *    new camera frames, a fresh tracker when the stream turns (phone rotated).
 *
 * Plain browser JavaScript (no build step), loaded before the page script (viewer.js), which
 * calls configure() with its callbacks.
 */
(function () {
  'use strict';

  /** The tracker's pixel budget per frame: AR.js's 320×240, whatever the stream's shape. */
  var TRACKER_PIXELS = 320 * 240;
  /** WebGL canvas: at most 2 device pixels per CSS pixel and 4 Mpx (Safari's limits, battery). */
  var MAX_PIXEL_RATIO = 2;
  var MAX_CANVAS_PIXELS = 4 * 1024 * 1024;
  /** Without requestVideoFrameCallback, or if it stalls: process at least this often. */
  var FRAME_FALLBACK_MS = 100;

  var settings = { cameraParamsDir: '', on: {} };
  var tracker = null;

  function emit(name, detail) {
    var callback = settings.on[name];
    if (typeof callback === 'function') callback(detail);
  }

  /** Rear camera; 1280×720 is a mode every phone camera has. No cropping to the ideal. */
  function cameraConstraints() {
    return {
      audio: false,
      video: {
        facingMode: 'environment',
        width: { ideal: 1280 },
        height: { ideal: 720 },
        resizeMode: 'none',
      },
    };
  }

  /** The tracker's frame: the stream's aspect ratio, about TRACKER_PIXELS, never upscaled. */
  function trackerFrameSize(streamWidth, streamHeight) {
    var scale = Math.min(1, Math.sqrt(TRACKER_PIXELS / (streamWidth * streamHeight)));
    return {
      width: Math.max(16, Math.round(streamWidth * scale)),
      height: Math.max(16, Math.round(streamHeight * scale)),
    };
  }

  /** Where CSS `object-fit: cover` draws the camera image inside its element (CSS px). */
  function coverRect(boxWidth, boxHeight, imageWidth, imageHeight) {
    var scale = Math.max(boxWidth / imageWidth, boxHeight / imageHeight);
    var width = imageWidth * scale;
    var height = imageHeight * scale;
    return {
      left: (boxWidth - width) / 2,
      top: (boxHeight - height) / 2,
      width: width,
      height: height,
    };
  }

  // -----------------------------------------------------------------------------------------
  // Rendering: canvas resolution and projection, checked every frame (cheap, and A-Frame's own
  // resize handling rewrites both).

  function capPixelRatio(renderer) {
    if (!renderer || typeof renderer.getPixelRatio !== 'function') return;
    var canvas = renderer.domElement;
    var cssPixels = Math.max(1, canvas.clientWidth * canvas.clientHeight);
    var ratio = Math.min(
      window.devicePixelRatio || 1,
      MAX_PIXEL_RATIO,
      Math.sqrt(MAX_CANVAS_PIXELS / cssPixels),
    );
    if (Math.abs(renderer.getPixelRatio() - ratio) > 1e-3) renderer.setPixelRatio(ratio);
  }

  /**
   * While the print is not in view the canvas is empty: draw that once, then skip rendering until
   * the tracker finds the print again (the GPU — or a test's software renderer — stays idle while
   * the buyer aims; A-Frame and AR.js keep ticking).
   */
  function renderOnlyWhenTracking(renderer) {
    if (renderer.__vertexRenderWrapped) return;
    renderer.__vertexRenderWrapped = true;
    var render = renderer.render.bind(renderer);
    var emptyDrawn = false;
    renderer.render = function (scene, camera) {
      var tracking = tracker !== null && tracker.controller.showObject === true;
      if (!tracking && emptyDrawn) return;
      emptyDrawn = !tracking;
      render(scene, camera);
    };
  }

  function onResize(cameraVideo, renderer, camera) {
    capPixelRatio(renderer);
    if (renderer) renderOnlyWhenTracking(renderer);
    if (tracker === null || tracker.projection === null || !camera || !cameraVideo) return;
    var boxWidth = cameraVideo.clientWidth;
    var boxHeight = cameraVideo.clientHeight;
    if (!boxWidth || !boxHeight) return;
    // The tracker's projection maps its whole frame (= the whole stream) onto [-1, 1]; the
    // screen shows the middle of it, magnified: scale x and y by the share that is visible.
    var shown = coverRect(boxWidth, boxHeight, tracker.stream.width, tracker.stream.height);
    var kx = shown.width / boxWidth;
    var ky = shown.height / boxHeight;
    var e = camera.projectionMatrix.elements;
    var p = tracker.projection;
    for (var i = 0; i < 16; i++) e[i] = p[i];
    e[0] *= kx;
    e[4] *= kx;
    e[8] *= kx;
    e[12] *= kx;
    e[1] *= ky;
    e[5] *= ky;
    e[9] *= ky;
    e[13] *= ky;
    if (camera.projectionMatrixInverse) {
      camera.projectionMatrixInverse.copy(camera.projectionMatrix).invert();
    }
  }

  // -----------------------------------------------------------------------------------------
  // The NFT tracker loop.

  /** Counts presented camera frames, so the tracker never examines the same frame twice. */
  function watchCameraFrames(video, state) {
    if (typeof video.requestVideoFrameCallback !== 'function') return;
    var onFrame = function () {
      if (state.stopped) return;
      state.presented += 1;
      if (state.waiting) state.resume();
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }

  function startTracker(options, video, marker) {
    var stream = { width: video.videoWidth, height: video.videoHeight };
    var frame = trackerFrameSize(stream.width, stream.height);
    var canvas = document.createElement('canvas');
    canvas.width = frame.width;
    canvas.height = frame.height;
    var context = canvas.getContext('2d', { willReadFrequently: true });
    var worker = options.createWorker();
    var state = {
      controller: marker.controller,
      stream: stream,
      frame: frame,
      projection: null,
      worker: worker,
      presented: 0,
      examined: -1,
      waiting: false,
      fallback: null,
      stopped: false,
      resume: null,
    };
    tracker = state;
    marker.controller.showObject = false;
    emit('trackerStart', { stream: stream, frame: frame });

    function send() {
      if (state.stopped) return;
      state.waiting = false;
      if (state.fallback !== null) clearTimeout(state.fallback);
      state.fallback = null;
      if (video.videoWidth !== stream.width || video.videoHeight !== stream.height) {
        // The stream turned (phone rotated): a new tracker for the new shape.
        stop(state);
        emit('trackerRestart', {
          from: stream,
          to: { width: video.videoWidth, height: video.videoHeight },
        });
        whenCameraReady(function (v) {
          startTracker(options, v, marker);
        });
        return;
      }
      state.examined = state.presented;
      context.drawImage(video, 0, 0, frame.width, frame.height);
      var image = context.getImageData(0, 0, frame.width, frame.height);
      worker.postMessage({ type: 'process', imagedata: image }, [image.data.buffer]);
    }
    state.resume = send;

    function next() {
      var seenAll = state.examined === state.presented;
      if (seenAll && typeof video.requestVideoFrameCallback === 'function') {
        state.waiting = true;
        state.fallback = setTimeout(send, FRAME_FALLBACK_MS);
      } else {
        send();
      }
    }

    worker.onmessage = function (event) {
      var data = event && event.data;
      if (state.stopped || !data) return;
      switch (data.type) {
        case 'loaded': {
          var proj = JSON.parse(data.proj);
          state.projection = [];
          for (var i = 0; i < 16; i++) state.projection.push(Number(proj[i]));
          emit('trackerReady', { frame: frame });
          send();
          return;
        }
        case 'markerInfos':
          emit('markerInfo', JSON.parse(data.marker));
          return;
        case 'endLoading':
          emit('markerLoaded', null);
          return;
        case 'found':
          marker.controller.showObject = true;
          options.onPose(JSON.parse(data.matrix));
          emit('frame', true);
          next();
          return;
        case 'not found':
          marker.controller.showObject = false;
          emit('frame', false);
          next();
          return;
      }
    };
    worker.onerror = function (event) {
      emit('trackerError', (event && event.message) || 'worker error');
    };
    worker.postMessage({
      type: 'init',
      pw: frame.width,
      ph: frame.height,
      marker: options.markerUrl,
      param: settings.cameraParamsDir + frame.width + 'x' + frame.height + '.dat',
    });
    watchCameraFrames(video, state);
  }

  function stop(state) {
    state.stopped = true;
    if (state.fallback !== null) clearTimeout(state.fallback);
    state.worker.terminate();
    if (tracker === state) tracker = null;
  }

  /** Calls back once AR.js's camera <video> knows the stream's size (now or later). */
  function whenCameraReady(callback) {
    var done = false;
    function check() {
      var video = document.getElementById('arjs-video');
      if (done || !video) return;
      if (video.videoWidth > 0 && video.videoHeight > 0) {
        done = true;
        window.removeEventListener('arjs-video-loaded', check);
        callback(video);
      } else {
        video.addEventListener('loadedmetadata', check, { once: true });
        video.addEventListener('resize', check, { once: true });
      }
    }
    window.addEventListener('arjs-video-loaded', check);
    check();
  }

  /**
   * Called by AR.js once its controller exists — before or after the camera: waiting for the
   * camera here (instead of for AR.js's one-off `arjs-video-loaded` event) removes the start-up
   * race where a fast camera left the tracker waiting forever.
   */
  function trackNft(options) {
    var marker = { controller: options.controller };
    whenCameraReady(function (video) {
      startTracker(options, video, marker);
    });
  }

  /** For the page's diagnostics and tests: what the tracker and the screen look like now. */
  function describe() {
    var video = document.getElementById('arjs-video');
    if (tracker === null || !video) return null;
    var shown = coverRect(
      video.clientWidth,
      video.clientHeight,
      tracker.stream.width,
      tracker.stream.height,
    );
    var box = video.getBoundingClientRect();
    return {
      stream: tracker.stream,
      frame: tracker.frame,
      cameraImage: {
        left: box.left + shown.left,
        top: box.top + shown.top,
        width: shown.width,
        height: shown.height,
      },
    };
  }

  /**
   * What AR.js's context and marker code still use of its main-thread ARToolKit controller once
   * the tracking happens in the worker: the "pose this frame" flag and event registration.
   */
  function createController() {
    return {
      showObject: false,
      addEventListener: function () {},
      removeEventListener: function () {},
      dispose: function () {},
    };
  }

  window.__vertexAr = {
    createController: createController,
    configure: function (options) {
      settings.cameraParamsDir = options.cameraParamsDir;
      settings.on = options.on || {};
    },
    cameraConstraints: cameraConstraints,
    onResize: onResize,
    trackNft: trackNft,
    describe: describe,
  };
})();
