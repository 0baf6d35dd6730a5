import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How long a handler module may take to load before the config that names it is refused. */
export const HANDLER_LOAD_TIMEOUT_MS = 10_000;

/** The load time limit: `TRIBUTARY_HANDLER_LOAD_TIMEOUT_MS` overrides it (slow disks, tests). */
export function handlerLoadTimeoutMs(): number {
  const v = Number(process.env.TRIBUTARY_HANDLER_LOAD_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : HANDLER_LOAD_TIMEOUT_MS;
}

// Plain CommonJS run by the worker: it imports the module the way the host will (jiti, no
// module cache) and reports only whether that finished.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const { createJiti } = require(workerData.jiti);
(async () => {
  try {
    const jiti = createJiti(pathToFileURL(workerData.baseDir + '/').href, { moduleCache: false, interopDefault: false });
    await jiti.import(workerData.file);
    parentPort.postMessage({ ok: true });
  } catch (e) {
    parentPort.postMessage({ ok: false, message: (e && e.message) || String(e) });
  }
})();
`;

/** Trials that passed, by file, size and modification time: an unchanged module is not re-tried. */
const passed = new Set<string>();

/**
 * Imports a handler module once in a worker thread, with a time limit, before the host
 * imports it itself. A module whose top-level `await` never settles, or that loops forever,
 * would otherwise hold every later reload (or the whole event loop) for good; here the worker
 * is terminated and the config is refused with a located message.
 */
export async function trialImport(
  file: string,
  baseDir: string,
  timeoutMs = handlerLoadTimeoutMs(),
): Promise<{ ok: true } | { ok: false; message: string }> {
  let key: string;
  try {
    const st = statSync(file);
    key = `${file}:${st.size}:${st.mtimeMs}`;
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  if (passed.has(key)) return { ok: true };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, baseDir, jiti: createRequire(import.meta.url).resolve('jiti') },
    // What the module prints while loading belongs to its real load, not to this trial.
    stdout: true,
    stderr: true,
  });
  const result = await new Promise<{ ok: true } | { ok: false; message: string }>((done) => {
    const timer = setTimeout(
      () =>
        done({
          ok: false,
          message: `did not finish loading within ${Math.round(timeoutMs / 1000)} s (a top-level \`await\` that never settles, or an endless loop?)`,
        }),
      timeoutMs,
    );
    worker.once('message', (m: { ok: boolean; message?: string }) => {
      clearTimeout(timer);
      done(m.ok ? { ok: true } : { ok: false, message: m.message ?? 'failed to load' });
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      done({ ok: false, message: err.message });
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      // The worker ran out of things to wait for while the import was still pending: a
      // top-level `await` on a promise nothing will ever settle (the host would hang on it).
      done({
        ok: false,
        message:
          code === 0
            ? 'never finishes loading: a top-level `await` waits on something that never settles'
            : `ended its process while loading (exit code ${code})`,
      });
    });
  });
  // Not awaited: a worker stuck in a native call (a blocking `execSync`) ends only when that
  // call returns, and the reload must not wait for it. Unref'd so it never holds the process.
  worker.unref();
  void worker.terminate();
  if (result.ok) passed.add(key);
  return result;
}
