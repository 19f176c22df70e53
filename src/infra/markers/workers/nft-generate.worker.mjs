// Child-process entry: generates ONE NFT marker with a fresh wasm instance, then exits.
//
// Plain JavaScript on purpose: plain Node forks it as-is, from `src/` under Vitest and from
// `dist/` in production (the build copies it). Types: JSDoc against ./protocol.d.ts and
// ./wasm-modules.d.ts (`npx tsc -p src/infra/markers/workers`).
//
// Why a child process: the generator keeps options in C statics (a second call in the same
// instance silently reuses the first call's scales), can call exit() and prints a lot.
// A fresh process per marker is the only clean state; killing it is the only hard timeout.
import process from 'node:process';

const LOG_LIMIT = 8192;
let log = '';
/** @param {unknown} line */
const keep = (line) => {
  log = (log + String(line) + '\n').slice(-LOG_LIMIT);
};

/** @param {import('./protocol.js').GenerateSuccess | import('./protocol.js').WorkerFailure} message */
function reply(message) {
  // Exit only once the message is flushed; the parent treats exit-without-reply as a crash.
  process.send?.(message, () => {
    process.exit(0);
  });
}

process.once('message', (job) => {
  generate(/** @type {import('./protocol.js').GenerateJob} */ (job)).then(reply, (error) => {
    reply({ type: 'error', message: describe(error), log });
  });
});

/** @param {unknown} error */
function describe(error) {
  if (error instanceof Error) return error.message;
  // Emscripten's exit() throws an ExitStatus object, not an Error.
  if (error && typeof error === 'object' && 'status' in error) {
    return `generator exited with status ${String(error.status)}`;
  }
  return String(error);
}

/**
 * @param {import('./protocol.js').GenerateJob} job
 * @returns {Promise<import('./protocol.js').GenerateSuccess>}
 */
async function generate({ grey, width, height, dpi, flags }) {
  // The ES6 build (wasm embedded): never the package's main entry, which re-spawns the host
  // process, prompts on stdin and calls process.exit.
  const { default: NftMC } =
    await import('@webarkit/nft-marker-creator-app/build/NftMarkerCreator_ES6_wasm.js');
  const mc = await NftMC({ print: keep, printErr: keep });
  if (grey.length !== width * height) {
    throw new Error(`input has ${grey.length} bytes, expected ${width}×${height}`);
  }
  const status = mc.createNftDataSet(grey, dpi, width, height, 1, flags);
  if (status !== 0) throw new Error(`generator returned status ${status}`);
  /** @param {string} ext */
  const read = (ext) => {
    try {
      return mc.FS.readFile(`tempFilename.${ext}`);
    } catch {
      throw new Error(`generator wrote no .${ext} file`);
    }
  };
  const iset = read('iset');
  const fset = read('fset');
  const fset3 = read('fset3');
  const usage = process.cpuUsage();
  return {
    type: 'result',
    iset,
    fset,
    fset3,
    cpuMs: Math.round((usage.user + usage.system) / 1000),
    log,
  };
}
