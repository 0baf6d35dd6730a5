import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, 'keychainRoundTrip.script.ts');

/** Why the real keychain cannot be exercised here, or undefined when it can. */
function skipReason(): string | undefined {
  for (const bin of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0)
      return `${bin} is not installed (apt-get install -y gnome-keyring dbus-x11 libsecret-1-dev)`;
  }
  try {
    createRequire(import.meta.url)('keytar');
  } catch (err) {
    return `keytar is not built (${(err as Error).message.split('\n')[0]}); install libsecret-1-dev and run npm rebuild keytar`;
  }
  return undefined;
}

const missing = skipReason();
// CI installs the keychain (.ci/run) and sets this, so a broken setup fails instead of skipping.
const required = process.env.TRIBUTARY_REQUIRE_KEYCHAIN === '1';
const reason = required ? undefined : missing;
if (reason) console.warn(`[skip] real keychain round trip: ${reason}`);

describe('the OS keychain (gnome-keyring over D-Bus)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it.skipIf(reason !== undefined)(
    'stores, reads, lists and deletes a secret through KeychainSecretStore',
    () => {
      if (missing) throw new Error(`TRIBUTARY_REQUIRE_KEYCHAIN=1 but ${missing}`);
      const home = mkdtempSync(join(tmpdir(), 'tributary-keyring-'));
      dirs.push(home);
      const res = spawnSync(
        'dbus-run-session',
        [
          '--',
          'sh',
          '-c',
          `echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "${process.execPath}" --import tsx "${script}"`,
        ],
        {
          encoding: 'utf8',
          timeout: 60_000,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: home,
            XDG_DATA_HOME: join(home, 'data'),
            XDG_RUNTIME_DIR: home,
          },
        },
      );
      expect(res.status, res.stderr).toBe(0);
      const report = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}') as Record<
        string,
        unknown
      >;
      expect(report).toEqual({
        got: 'value-123',
        status: expect.objectContaining({ set: true, source: 'keychain' }),
        listed: true,
        deleted: true,
        afterDelete: null,
        warnings: [],
      });
    },
  );
});
