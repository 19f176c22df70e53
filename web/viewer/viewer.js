/* Vertex AR public page: loads the AR runtime (A-Frame + AR.js NFT) from our origin, starts the
 * camera on a tap, plays the portrait's video on the print while it is tracked.
 *
 * Plain browser JavaScript (no build step). Test hooks live on window.__vertexViewer.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------------------------------
  // Observability: everything a test (or a curious engineer in devtools) needs.
  var hooks = {
    stage: 'loading',
    events: [],
    markerFoundCount: 0,
    markerLostCount: 0,
    tracking: false,
    markerLoaded: false,
    markerLoadedAt: null,
    markerInfo: null,
    frames: {
      processed: 0,
      found: 0,
      notFound: 0,
      processedAfterMarkerLoaded: 0,
      notFoundAfterMarkerLoaded: 0,
    },
    tracker: null,
    startedAt: null,
    prefetch: { files: 0, bytes: 0, failed: 0 },
    cspViolations: [],
    errors: [],
    video: function () {
      var v = document.getElementById('vx-video');
      return v
        ? { currentTime: v.currentTime, paused: v.paused, muted: v.muted, readyState: v.readyState }
        : null;
    },
    geometry: geometry,
  };
  window.__vertexViewer = hooks;

  function now() {
    return Math.round(performance.now());
  }
  function log(type, detail) {
    hooks.events.push({ type: type, t: now(), detail: detail === undefined ? null : detail });
  }

  document.addEventListener('securitypolicyviolation', function (e) {
    hooks.cspViolations.push({
      directive: e.effectiveDirective || e.violatedDirective,
      blockedURI: e.blockedURI,
      sample: e.sample,
    });
  });
  window.addEventListener('error', function (e) {
    hooks.errors.push(String((e && e.message) || 'error'));
  });

  // The tracker (web/viewer/ar-host.js, driven by the patched AR.js) reports every processed
  // frame: negative tests must prove frames were really examined.
  var NativeWorker = window.Worker;
  function onTrackerFrame(found) {
    var f = hooks.frames;
    f.processed += 1;
    if (found) f.found += 1;
    else f.notFound += 1;
    if (hooks.markerLoaded) {
      f.processedAfterMarkerLoaded += 1;
      if (!found) f.notFoundAfterMarkerLoaded += 1;
    }
  }

  // AR.js reports camera failures without the error (CustomEvent init drops it): watch
  // getUserMedia itself to tell "denied" from "no camera".
  var cameraError = null;
  if (navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === 'function') {
    var nativeGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = function (constraints) {
      return nativeGetUserMedia(constraints).then(
        function (stream) {
          onCameraReady();
          return stream;
        },
        function (error) {
          onCameraError(error);
          throw error;
        },
      );
    };
  }

  // ---------------------------------------------------------------------------------------
  var config = JSON.parse(document.getElementById('vx-config').textContent);
  var text = config.text;
  var el = {
    overlay: document.getElementById('vx-overlay'),
    progress: document.getElementById('vx-progress'),
    status: document.getElementById('vx-status'),
    start: document.getElementById('vx-start'),
    error: document.getElementById('vx-error'),
    errorText: document.getElementById('vx-error-text'),
    retry: document.getElementById('vx-retry'),
    hud: document.getElementById('vx-hud'),
    hint: document.getElementById('vx-hint'),
    sound: document.getElementById('vx-sound'),
    video: document.getElementById('vx-video'),
  };

  var progress = { engine: 0, markerBytes: 0, markerTotal: 0, markerFilesDone: 0, tracker: false };
  function renderProgress() {
    var files = config.markerFiles.length;
    var marker =
      progress.markerTotal > 0
        ? Math.min(progress.markerBytes / progress.markerTotal, 1)
        : progress.markerFilesDone / files;
    var value =
      (progress.engine / config.engine.length) * 40 + marker * 45 + (progress.tracker ? 15 : 0);
    el.progress.value = Math.round(value);
  }

  function setStage(stage, message) {
    hooks.stage = stage;
    log('stage', stage);
    if (message) el.status.textContent = message;
  }

  function beacon(event) {
    if (!config.analyticsUrl || !navigator.sendBeacon) return;
    try {
      var payload = { event: event, sinceLoadMs: now() };
      // The server's Start → first-found histogram.
      if (event === 'marker_found' && hooks.startedAt !== null) {
        payload.sinceStartMs = Math.max(0, payload.sinceLoadMs - hooks.startedAt);
      }
      var body = JSON.stringify(payload);
      navigator.sendBeacon(config.analyticsUrl, new Blob([body], { type: 'application/json' }));
    } catch {
      /* analytics never breaks the page */
    }
  }

  var failed = false;
  function fail(kind, message) {
    if (failed) return;
    failed = true;
    setStage('error', null);
    hooks.failure = kind;
    log('failure', kind);
    beacon(kind);
    el.overlay.hidden = false;
    el.hud.hidden = true;
    el.start.hidden = true;
    el.progress.hidden = true;
    el.status.hidden = true;
    el.errorText.textContent = message;
    el.error.hidden = false;
    el.error.setAttribute('data-kind', kind);
    offerVideoAlone();
  }

  // ---------------------------------------------------------------------------------------
  // Without a usable camera (denied, missing, insecure page, unsupported browser...) the buyer
  // still gets their moment: the video on its own, full screen, with sound (the tap allows it).
  function offerVideoAlone() {
    if (document.getElementById('vx-play-video')) return;
    var offer = document.createElement('p');
    offer.className = 'vx-fallback-offer';
    offer.textContent = text.cameraFallback;
    var button = document.createElement('button');
    button.id = 'vx-play-video';
    button.type = 'button';
    button.className = 'vx-button';
    button.textContent = text.playVideo;
    button.addEventListener('click', playVideoAlone);
    el.error.insertBefore(offer, el.retry);
    el.error.insertBefore(button, el.retry);
  }

  function playVideoAlone() {
    var v = el.video;
    var home = v.parentNode;
    var next = v.nextSibling;
    var player = document.createElement('div');
    player.id = 'vx-player';
    player.className = 'vx-player';
    player.setAttribute('role', 'dialog');
    player.setAttribute('aria-label', text.playVideo);
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'vx-button vx-button-secondary vx-player-close';
    close.textContent = text.close;
    player.appendChild(v);
    player.appendChild(close);
    document.body.appendChild(player);
    v.controls = true;
    v.muted = false;
    setStage('video', null);
    log('video-fallback');
    beacon('video_fallback');
    var played = v.play();
    if (played && typeof played.catch === 'function') {
      played.catch(function () {
        // Sound refused after all: play muted; the controls can turn it on.
        v.muted = true;
        v.play().catch(function () {});
      });
    }
    if (typeof player.requestFullscreen === 'function') {
      player.requestFullscreen().catch(function () {
        /* the fixed overlay already fills the screen */
      });
    }
    close.addEventListener('click', function () {
      if (document.fullscreenElement && document.exitFullscreen) {
        document.exitFullscreen().catch(function () {});
      }
      v.pause();
      v.controls = false;
      home.insertBefore(v, next);
      player.remove();
      setStage('error', null);
    });
  }
  el.retry.addEventListener('click', function () {
    location.reload();
  });

  // ---------------------------------------------------------------------------------------
  function unsupportedReason() {
    if (window.isSecureContext === false) return 'insecure';
    if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function') {
      return 'no-getusermedia';
    }
    if (typeof WebAssembly !== 'object' || typeof NativeWorker !== 'function') return 'no-wasm';
    var gl = null;
    try {
      var canvas = document.createElement('canvas');
      gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
    } catch {
      gl = null;
    }
    if (!gl) return 'no-webgl';
    var lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();
    return null;
  }

  function loadEngine(done) {
    var index = 0;
    function next() {
      if (index >= config.engine.length) {
        done();
        return;
      }
      var script = document.createElement('script');
      script.src = config.engine[index];
      script.async = false;
      script.onload = function () {
        index += 1;
        progress.engine = index;
        renderProgress();
        next();
      };
      script.onerror = function () {
        fail('load_error', text.loadError);
      };
      document.head.appendChild(script);
    }
    next();
  }

  // The marker files are fetched now, with progress; AR.js's worker asks for the same URLs
  // later and gets them from the HTTP cache (they are immutable).
  function prefetchMarker() {
    var totals = {};
    config.markerFiles.forEach(function (ext) {
      fetch(config.markerUrl + '.' + ext, { credentials: 'same-origin' })
        .then(function (response) {
          if (!response.ok) throw new Error('HTTP ' + response.status);
          var announced = Number(response.headers.get('x-decoded-length'));
          if (announced > 0) {
            totals[ext] = announced;
            progress.markerTotal += announced;
          }
          if (!response.body || !response.body.getReader) return response.arrayBuffer();
          var reader = response.body.getReader();
          function pump() {
            return reader.read().then(function (chunk) {
              if (chunk.done) return null;
              hooks.prefetch.bytes += chunk.value.byteLength;
              if (totals[ext]) progress.markerBytes += chunk.value.byteLength;
              renderProgress();
              return pump();
            });
          }
          return pump();
        })
        .then(function () {
          hooks.prefetch.files += 1;
          progress.markerFilesDone += 1;
          renderProgress();
        })
        .catch(function (error) {
          hooks.prefetch.failed += 1;
          log('prefetch-failed', ext + ': ' + String(error));
          // The server said no (AR.js's worker would fail silently on the same URL); a network
          // hiccup is left to the worker's own request.
          if (/^Error: HTTP \d+/.test(String(error))) fail('load_error', text.loadError);
        });
    });
  }

  // ---------------------------------------------------------------------------------------
  // Sound: phones allow it only from a tap. Start plays (and pauses) the video inside the tap,
  // which unlocks it; if the browser still refuses, the video plays muted with a sound button.
  function showSoundButton() {
    el.sound.hidden = false;
  }
  el.sound.addEventListener('click', function () {
    el.video.muted = false;
    var p = el.video.play();
    if (p && typeof p.then === 'function') {
      p.then(
        function () {
          el.sound.hidden = true;
          log('sound-on');
          beacon('sound_on');
          if (!hooks.tracking) el.video.pause();
        },
        function () {
          el.video.muted = true;
        },
      );
    }
  });

  function unlockVideo() {
    var v = el.video;
    v.muted = false;
    var p;
    try {
      p = v.play();
    } catch {
      p = null;
    }
    if (!p || typeof p.then !== 'function') return;
    p.then(
      function () {
        log('video-unlocked');
        if (!hooks.tracking) v.pause();
      },
      function (error) {
        log('video-unlock-failed', error && error.name);
        v.muted = true;
        showSoundButton();
      },
    );
  }

  function playVideo() {
    var v = el.video;
    var p = v.play();
    if (!p || typeof p.then !== 'function') return;
    p.then(
      function () {
        log('video-playing');
      },
      function (error) {
        if (error && error.name === 'NotAllowedError' && !v.muted) {
          v.muted = true;
          showSoundButton();
          if (hooks.tracking) v.play().catch(function () {});
        }
      },
    );
  }

  // Crop the video like CSS `object-fit: cover` when its aspect differs from the print's.
  function fitVideoTexture() {
    var v = el.video;
    var plane = document.getElementById('vx-plane');
    if (!plane || !v.videoWidth || !v.videoHeight) return;
    var w = Number(plane.getAttribute('width'));
    var h = Number(plane.getAttribute('height'));
    var videoAspect = v.videoWidth / v.videoHeight;
    var printAspect = w / h;
    if (Math.abs(videoAspect - printAspect) / printAspect < 0.01) return;
    var rx = 1;
    var ry = 1;
    if (videoAspect > printAspect) rx = printAspect / videoAspect;
    else ry = videoAspect / printAspect;
    plane.setAttribute('material', 'repeat', rx + ' ' + ry);
    plane.setAttribute('material', 'offset', (1 - rx) / 2 + ' ' + (1 - ry) / 2);
    log('video-cropped', { rx: rx, ry: ry });
  }

  // The marker knows its own size: if the server's numbers disagree, trust the marker.
  function onMarkerInfo(info) {
    if (!info || !info.dpi || !info.width || !info.height) return;
    var widthMm = (info.width / info.dpi) * 25.4;
    var heightMm = (info.height / info.dpi) * 25.4;
    hooks.markerInfo = {
      width: info.width,
      height: info.height,
      dpi: info.dpi,
      widthMm: widthMm,
      heightMm: heightMm,
    };
    var expected = config.print;
    if (
      Math.abs(widthMm - expected.widthMm) / expected.widthMm > 0.01 ||
      Math.abs(heightMm - expected.heightMm) / expected.heightMm > 0.01
    ) {
      var plane = document.getElementById('vx-plane');
      if (plane) {
        plane.setAttribute('width', widthMm);
        plane.setAttribute('height', heightMm);
        plane.setAttribute('position', widthMm / 2 + ' 0 ' + -heightMm / 2);
      }
      config.print = { widthMm: widthMm, heightMm: heightMm };
      log('marker-size-corrected', hooks.markerInfo);
      fitVideoTexture();
    }
  }

  // ---------------------------------------------------------------------------------------
  var slowTimer = null;
  var cameraReady = false;

  function onCameraReady() {
    if (cameraReady) return;
    cameraReady = true;
    log('camera-ready');
    beacon('camera_ready');
    setStage(
      'marker',
      hooks.prefetch.files >= config.markerFiles.length
        ? text.preparingTracker
        : text.loadingMarker,
    );
  }

  function onCameraError(error) {
    var name = (error && error.name) || '';
    cameraError = name;
    log('camera-error', name);
    if (
      name === 'NotAllowedError' ||
      name === 'PermissionDeniedError' ||
      name === 'SecurityError'
    ) {
      fail('camera_denied', text.cameraDenied);
    } else if (
      name === 'NotFoundError' ||
      name === 'DevicesNotFoundError' ||
      name === 'OverconstrainedError'
    ) {
      fail('no_camera', text.noCamera);
    } else if (name === 'NotReadableError' || name === 'TrackStartError') {
      fail('camera_error', text.cameraBusy);
    } else {
      fail('camera_error', text.cameraError);
    }
  }

  function onMarkerLoaded() {
    if (progress.tracker) return;
    hooks.markerLoaded = true;
    hooks.markerLoadedAt = now();
    progress.tracker = true;
    renderProgress();
    if (slowTimer !== null) clearTimeout(slowTimer);
    log('marker-loaded');
    beacon('marker_loaded');
    setStage('aim', text.aim);
    el.overlay.hidden = true;
    el.hud.hidden = false;
    el.hint.hidden = hooks.tracking;
  }

  function onMarkerFound() {
    hooks.markerFoundCount += 1;
    hooks.tracking = true;
    log('markerFound');
    if (hooks.markerFoundCount === 1) beacon('marker_found');
    setStage('tracking', null);
    el.hint.hidden = true;
    playVideo();
  }

  function onMarkerLost() {
    hooks.markerLostCount += 1;
    hooks.tracking = false;
    log('markerLost');
    if (hooks.markerLostCount === 1) beacon('marker_lost');
    setStage('aim', null);
    el.hint.hidden = false;
    el.video.pause();
  }

  function start() {
    if (hooks.stage !== 'ready') return;
    log('start');
    beacon('start');
    el.start.hidden = true;
    setStage('camera', text.startingCamera);
    unlockVideo();

    hooks.startedAt = now();
    window.__vertexAr.configure({
      cameraParamsDir: config.cameraParamsDir,
      on: {
        trackerStart: function (info) {
          hooks.tracker = info;
          log('tracker-frame', info);
        },
        trackerReady: function () {
          log('tracker-ready');
        },
        trackerRestart: function (change) {
          log('tracker-restart', change);
        },
        trackerError: function (message) {
          hooks.errors.push('tracker: ' + message);
        },
        markerInfo: onMarkerInfo,
        markerLoaded: onMarkerLoaded,
        frame: onTrackerFrame,
      },
    });
    window.addEventListener('camera-error', function () {
      if (cameraError === null) fail('camera_error', text.cameraError);
    });
    el.video.addEventListener('loadedmetadata', fitVideoTexture);
    var playingReported = false;
    el.video.addEventListener('playing', function () {
      if (hooks.tracking && !playingReported) {
        playingReported = true;
        beacon('video_playing');
      }
    });
    // Hidden tab: silence; back: resume only if the print is still tracked.
    document.addEventListener('visibilitychange', function () {
      if (document.hidden) el.video.pause();
      else if (hooks.tracking) playVideo();
    });
    slowTimer = setTimeout(function () {
      if (!progress.tracker && !failed) el.status.textContent = text.slowLoading;
    }, 30000);

    var template = document.getElementById('vx-scene-template');
    var scene = document.importNode(template.content, true);
    var nft = scene.querySelector('#vx-nft');
    nft.addEventListener('markerFound', onMarkerFound);
    nft.addEventListener('markerLost', onMarkerLost);
    document.body.appendChild(scene);
    if (el.video.readyState >= 1) fitVideoTexture();
  }

  // Test/diagnostic helper: the video plane's corners projected to viewport pixels, and the
  // camera image's placement on screen (to compare with where the print really is).
  function geometry() {
    var sceneEl = document.querySelector('a-scene');
    var plane = document.getElementById('vx-plane');
    var camVideo = document.getElementById('arjs-video');
    if (!sceneEl || !plane || !plane.object3D || !sceneEl.camera || !window.AFRAME) return null;
    var THREE = window.AFRAME.THREE;
    var canvasRect = sceneEl.canvas.getBoundingClientRect();
    var w = Number(plane.getAttribute('width'));
    var h = Number(plane.getAttribute('height'));
    plane.object3D.updateMatrixWorld(true);
    var corners = [
      [-w / 2, h / 2],
      [w / 2, h / 2],
      [w / 2, -h / 2],
      [-w / 2, -h / 2],
    ].map(function (c) {
      var p = new THREE.Vector3(c[0], c[1], 0);
      plane.object3D.localToWorld(p);
      p.project(sceneEl.camera);
      return {
        x: canvasRect.left + ((p.x + 1) / 2) * canvasRect.width,
        y: canvasRect.top + ((1 - p.y) / 2) * canvasRect.height,
      };
    });
    var ar = window.__vertexAr.describe();
    var vv = window.visualViewport;
    return {
      visible: plane.object3D.parent ? plane.object3D.parent.visible : false,
      planeCorners: corners,
      canvas: {
        left: canvasRect.left,
        top: canvasRect.top,
        width: canvasRect.width,
        height: canvasRect.height,
        pixelWidth: sceneEl.canvas.width,
        pixelHeight: sceneEl.canvas.height,
      },
      // The camera image as drawn (object-fit: cover): it may extend beyond the screen.
      cameraImage:
        ar && camVideo
          ? {
              left: ar.cameraImage.left,
              top: ar.cameraImage.top,
              width: ar.cameraImage.width,
              height: ar.cameraImage.height,
              videoWidth: camVideo.videoWidth,
              videoHeight: camVideo.videoHeight,
            }
          : null,
      tracker: ar ? { stream: ar.stream, frame: ar.frame } : null,
      viewport: {
        width: window.innerWidth,
        height: window.innerHeight,
        documentWidth: document.documentElement.scrollWidth,
        visualWidth: vv ? vv.width : null,
        scale: vv ? vv.scale : null,
        devicePixelRatio: window.devicePixelRatio,
      },
    };
  }

  // ---------------------------------------------------------------------------------------
  var reason = unsupportedReason();
  if (reason !== null) {
    log('unsupported', reason);
    fail('unsupported', reason === 'insecure' ? text.insecure : text.unsupported);
    return;
  }
  el.start.addEventListener('click', start);
  prefetchMarker();
  loadEngine(function () {
    if (failed) return;
    if (!window.AFRAME) {
      fail('load_error', text.loadError);
      return;
    }
    setStage('ready', text.readyToStart);
    el.start.disabled = false;
  });
})();
