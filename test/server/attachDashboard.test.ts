import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostState } from '../../electron/engine/runner/HostHeartbeat.ts';
import { Host } from '../../electron/engine/runner/Host.ts';
import { createLogger } from '../../electron/engine/log/logger.ts';
import { controlFilePath, readControlFile } from '../../electron/server/controlFile.ts';
import { httpApiClientFor } from '../../electron/server/HttpApiClient.ts';
import { attachDashboard } from '../../electron/server/startDashboard.ts';
import { scriptedJob, tempDir } from '../helpers/testEngine.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a host with the dashboard attached', () => {
  it('writes a user-only control.json the CLI can use, records the URL, and removes it on stop', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = join(dir, 'jobs.yaml');
    writeFileSync(file, scriptedJob('h', '      - { name: fetch }'));
    const host = await Host.start({
      configFile: file,
      dataDir: dir,
      log: createLogger({ level: 'silent' }),
    });
    cleanups.push(() => host.stop(1000));
    const dash = await attachDashboard(host, { rendererDir: null });
    const info = readControlFile(dir);
    expect(info).toMatchObject({
      url: dash.server.url,
      token: dash.server.token,
      pid: process.pid,
    });
    expect(statSync(controlFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(hostState(host.db).controlUrl).toBe(dash.server.url);
    const client = httpApiClientFor(dir)!;
    expect((await client.overview({})).jobs.map((j) => j.id)).toEqual(['h']);
    await dash.stop();
    expect(readControlFile(dir)).toBeNull();
    expect(hostState(host.db).controlUrl).toBeNull();
  });
});
