import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../electron/engine/log/logger.ts';
import type { Notification } from '../../../electron/engine/notify/Notifier.ts';
import type { KeytarLike } from '../../../electron/engine/secrets/keytarLike.ts';
import { ResilientSecretStore } from '../../../electron/engine/secrets/ResilientSecretStore.ts';
import { startDesktopHost, type DesktopHost } from '../../../electron/main/desktopHost.ts';
import { buildTrayModel, trayStateFromOverview } from '../../../electron/main/trayModel.ts';
import { counts, SCRIPTED, tempDir } from '../../helpers/testEngine.ts';
import { waitFor } from '../../helpers/waitFor.ts';

let desk: DesktopHost | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await desk?.host.stop(1000);
  desk = undefined;
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An in-memory keychain (what keytar is on a desktop with a Secret Service). */
function memoryKeytar(): KeytarLike {
  const data = new Map<string, string>();
  return {
    getPassword: async (s, a) => data.get(`${s}/${a}`) ?? null,
    setPassword: async (s, a, p) => void data.set(`${s}/${a}`, p),
    deletePassword: async (s, a) => data.delete(`${s}/${a}`),
    findCredentials: async (s) =>
      [...data]
        .filter(([k]) => k.startsWith(`${s}/`))
        .map(([k, password]) => ({ account: k.slice(s.length + 1), password })),
  };
}

/** An OpenAI-compatible endpoint that records the bearer token of each request. */
async function tokenRecordingLlm(): Promise<{ baseUrl: string; tokens: string[] }> {
  const tokens: string[] = [];
  const server: Server = createServer((req, res) => {
    tokens.push(req.headers.authorization ?? '');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 0,
          model: 'gpt-4o-mini',
          choices: [
            {
              index: 0,
              finish_reason: 'stop',
              message: { role: 'assistant', content: '{"summary":"ok"}' },
            },
          ],
          usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, tokens };
}

function paths(yamlText: string) {
  const t = tempDir('tributary-desktop-');
  cleanups.push(t.cleanup);
  const configFile = join(t.dir, 'jobs.yaml');
  writeFileSync(configFile, yamlText);
  return { configFile, dataDir: join(t.dir, 'data') };
}

describe('the desktop host (the engine side of the app, without Electron)', () => {
  it('gives LLM stages the API key entered in Settings, read from the keychain', async () => {
    const llm = await tokenRecordingLlm();
    const p = paths(`llm:
  providers:
    fake:
      base_url: ${llm.baseUrl}
      api_key: secret:fake
      models: [gpt-4o-mini]
jobs:
  - id: notes
    stages:
      - name: summarize
        uses: builtin/llm
        retry: { max_attempts: 1, backoff: 1h }
        params:
          prompt: "Summarize {{ data.title }}."
          document: "{{ data.text }}"
          schema: { type: object, properties: { summary: { type: string } }, required: [summary] }
`);
    const secrets = new ResilientSecretStore({ env: {}, loadKeytar: async () => memoryKeytar() });
    desk = await startDesktopHost({
      paths: p,
      log: silentLogger(),
      secrets,
      notifier: null,
      engine: { discovery: false },
    });
    // What the Settings view does over IPC: a write-only command on the same API.
    await desk.api.call('setSecret', { name: 'fake', value: 'sk-from-settings' });
    const status = await desk.api.secretStatus({ names: ['fake'] });
    expect(status.secrets.find((x) => x.name === 'fake')).toEqual({
      name: 'fake',
      set: true,
      source: 'keychain',
    });
    desk.host.engine.addItems('notes', [
      { key: 'n1', data: { title: 'Rivers', text: 'Rivers carve valleys.' } },
    ]);
    await desk.host.engine.waitIdle();
    const err = desk.host.db.prepare(`SELECT error FROM item_stages`).get();
    expect(counts(desk.host.db, 'notes').summarize, JSON.stringify(err)).toEqual({ done: 1 });
    expect(llm.tokens).toEqual(['Bearer sk-from-settings']);
    // The key never lands in the database.
    const dump = JSON.stringify(desk.host.db.prepare(`SELECT * FROM events`).all()).concat(
      JSON.stringify(desk.host.db.prepare(`SELECT * FROM results`).all()),
    );
    expect(dump).not.toContain('sk-from-settings');
  });

  it('reloads an edited jobs.yaml: a broken one turns the tray to attention and notifies once, a fixed one clears it', async () => {
    const job = (key: string) => `jobs:
  - id: a
    handler: ${SCRIPTED}
    stages:
      - { name: s, ${key}: 2 }
`;
    const p = paths(job('concurrency'));
    const shown: Notification[] = [];
    desk = await startDesktopHost({
      paths: p,
      log: silentLogger(),
      secrets: new ResilientSecretStore({ env: {}, loadKeytar: async () => memoryKeytar() }),
      notifier: { notify: async (n) => void shown.push(n) },
      engine: { discovery: false },
    });
    const { api } = desk;
    const tray = async () =>
      buildTrayModel(
        trayStateFromOverview(await api.overview({}), {
          offline: false,
          spendTodayUsd: 0,
          warning: null,
        }),
      );
    expect((await tray()).status).toBe('running');

    writeFileSync(p.configFile, job('concurency'));
    await waitFor(async () => (await tray()).status === 'attention', {
      label: 'tray shows attention',
    });
    const broken = await tray();
    expect(broken.items[2]?.label).toBe(
      '⚠ jobs.yaml is invalid: still running the last good config',
    );
    expect(broken.items[3]?.label).toContain(`${p.configFile}:5:`);
    expect(broken.items[3]?.label).toContain('concurency');
    await waitFor(() => shown.length === 1, { label: 'one notification' });
    expect(shown[0]).toMatchObject({ title: 'jobs.yaml is invalid', level: 'error', jobId: null });

    writeFileSync(p.configFile, job('concurrency'));
    await waitFor(async () => (await tray()).status === 'running', {
      label: 'tray calm after a good reload',
    });
    expect((await tray()).items.some((i) => i.label.includes('jobs.yaml'))).toBe(false);
    expect(shown).toHaveLength(1);
  });
});
