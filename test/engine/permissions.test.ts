import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../electron/engine/log/logger.ts';
import { Host } from '../../electron/engine/runner/Host.ts';
import { tempDir } from '../helpers/testEngine.ts';

let host: Host | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await host?.stop(500);
  host = undefined;
  cleanup?.();
});

const mode = (f: string) => (statSync(f).mode & 0o777).toString(8);

function recordingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink) as unknown as Logger, lines };
}

describe('files of the data directory', () => {
  it("are the user's alone: the directory 0700, the database and its WAL 0600", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'jobs.yaml');
    writeFileSync(file, 'data_dir: ./state\njobs: []\n');
    const { log } = recordingLogger();
    host = await Host.start({ configFile: file, log, notifier: null, watch: false });
    host.db.prepare(`INSERT INTO events (ts, kind, data) VALUES (1, 'x', '{}')`).run();
    const dir = join(t.dir, 'state');
    expect(mode(dir)).toBe('700');
    expect(mode(join(dir, 'tributary.db'))).toBe('600');
    expect(mode(join(dir, 'tributary.db-wal'))).toBe('600');
    expect(mode(join(dir, 'host.lock'))).toBe('600');
  });

  it('says so when an existing data directory is open to others', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'state');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const file = join(t.dir, 'jobs.yaml');
    writeFileSync(file, 'data_dir: ./state\njobs: []\n');
    const { log, lines } = recordingLogger();
    host = await Host.start({ configFile: file, log, notifier: null, watch: false });
    expect(lines.join('')).toMatch(/the data directory is open to other users \(mode 755\)/);
  });
});
