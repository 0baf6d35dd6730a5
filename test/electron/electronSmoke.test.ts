import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/**
 * Electron end to end (playwright-core's `_electron`): only where Electron's binary exists.
 * On the build machines it cannot be downloaded (ENVIRONMENT.md), so this reports why it skips.
 */
function skipReason(): string | undefined {
  let binary: unknown;
  try {
    binary = createRequire(join(root, 'package.json'))('electron');
  } catch (err) {
    return `Electron's binary is not installed (${(err as Error).message.split('\n')[0]}); run node node_modules/electron/install.js where GitHub is reachable`;
  }
  if (typeof binary !== 'string' || !existsSync(binary))
    return `Electron's binary is missing at ${String(binary)}`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'no DISPLAY for Electron (run the tests under xvfb-run)';
  return undefined;
}

const reason = skipReason();
if (reason) console.warn(`[skip] Electron smoke test: ${reason}`);

describe('the desktop app (real Electron)', () => {
  it.skipIf(reason !== undefined)(
    'starts, shows the dashboard window with a locked-down bridge, and quits gracefully',
    async () => {
      const build = spawnSync(
        process.execPath,
        [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
      expect(build.status, build.stderr).toBe(0);
      const { _electron } = await import('playwright-core');
      const data = mkdtempSync(join(tmpdir(), 'tributary-electron-'));
      try {
        const app = await _electron.launch({
          args: [root, `--data=${data}`, '--no-sandbox'],
          cwd: root,
          env: { ...process.env, TRIBUTARY_CLOSE_TO_TRAY: '0' },
        });
        const page = await app.firstWindow();
        await page.waitForLoadState('domcontentloaded');
        const bridge = await page.evaluate(() => {
          const w = globalThis as unknown as {
            tributary?: { methods: string[] };
            require?: unknown;
            process?: unknown;
          };
          return {
            methods: w.tributary?.methods ?? [],
            require: typeof w.require,
            process: typeof w.process,
          };
        });
        expect(bridge.methods).toContain('overview');
        expect(bridge).toMatchObject({ require: 'undefined', process: 'undefined' });
        const overview = await page.evaluate(async () =>
          (
            globalThis as unknown as {
              tributary: { call(m: string, i: unknown): Promise<unknown> };
            }
          ).tributary.call('overview', {}),
        );
        expect(overview).toMatchObject({ result: { jobs: expect.any(Array) } });
        await app.close();
        expect(existsSync(join(data, 'host.lock'))).toBe(false);
      } finally {
        rmSync(data, { recursive: true, force: true });
      }
    },
  );
});
