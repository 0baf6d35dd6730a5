// `npm start`: the desktop app where Electron's binary is present; otherwise one attempt to
// fetch it (Electron's own install.js, bounded by a timeout), and if that fails too, the
// headless host with the dashboard in the browser — saying so, never failing silently.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FETCH_TIMEOUT_MS = 120_000;

/** Path of Electron's binary, or undefined when the package was installed without it. */
export function electronBinary(from = root) {
  try {
    // node_modules/electron/index.js exports the binary path, and throws when path.txt is missing.
    const path = createRequire(join(from, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    // Not installed, or installed with the download skipped: the caller decides what next.
    return undefined;
  }
}

/** One attempt to download the binary with the package's own installer. */
export function fetchElectron(from = root, timeoutMs = FETCH_TIMEOUT_MS) {
  const installer = join(from, 'node_modules/electron/install.js');
  if (!existsSync(installer)) return { ok: false, reason: 'the electron package is not installed' };
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const res = spawnSync(process.execPath, [installer], {
    cwd: join(from, 'node_modules/electron'),
    env,
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (res.error) return { ok: false, reason: res.error.message };
  if (res.status !== 0)
    return {
      ok: false,
      reason: pickReason(res.stderr || res.stdout || `exit ${res.status}`),
    };
  return { ok: true };
}

/**
 * Decides what `npm start` runs. Dependencies are injected so the fallback is tested without
 * Electron or a network: `probe()` finds the binary, `fetch()` tries to download it once.
 */
export function planStart({ probe, fetch, say, args = [] }) {
  let binary = probe();
  if (!binary) {
    say('Electron’s binary is not installed; trying to download it once…');
    const result = fetch();
    binary = result.ok ? probe() : undefined;
    if (!binary) {
      say(
        `Could not get Electron (${result.ok ? 'the download finished but no binary was found' : result.reason}).\n` +
          'Starting the headless host with the dashboard instead — open the URL it prints.\n' +
          'To get the desktop app later: node node_modules/electron/install.js, then npm start.',
      );
      return {
        mode: 'headless',
        command: process.execPath,
        args: [join(root, 'bin/jobctl.mjs'), 'run', '--dashboard', ...args],
      };
    }
  }
  return { mode: 'desktop', command: binary, args: [root, ...args] };
}

function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

async function main() {
  const plan = planStart({
    probe: () => electronBinary(),
    fetch: () => fetchElectron(),
    say: (msg) => console.error(msg),
    args: process.argv.slice(2),
  });
  if (plan.mode === 'desktop') {
    // main + preload + renderer into out/ (≈2 s); the app's package.json "main" points there.
    const build = spawnSync(
      process.execPath,
      [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        stdio: 'inherit',
        cwd: root,
      },
    );
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  run(plan.command, plan.args);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

/** The line of a failed download's output that says what went wrong (not a stack frame). */
function pickReason(output) {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '));
  return (
    lines.find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN|ETIMEDOUT/i.test(l)) ??
    lines[0] ??
    'unknown error'
  );
}
