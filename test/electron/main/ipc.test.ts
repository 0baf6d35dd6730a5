import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../electron/main/channels.ts';
import {
  appUrlPolicy,
  createCallHandler,
  type IpcEventLike,
} from '../../../electron/main/ipcHandler.ts';
import { registerIpc } from '../../../electron/main/registerIpc.ts';
import {
  createBridge,
  methodsFromArgv,
  type IpcRendererLike,
} from '../../../electron/preload/bridge.ts';
import { collectDropPayload } from '../../../electron/preload/collectDrop.ts';
import { scriptedJob, startTestEngine, type TestEngine } from '../../helpers/testEngine.ts';

const APP = 'file:///opt/Tributary/resources/app.asar/out/renderer/index.html';
const trust = { windowId: () => 7, isAppUrl: appUrlPolicy(APP) };
const ours: IpcEventLike = { sender: { id: 7 }, senderFrame: { url: `${APP}#/job/a` } };

describe('the IPC bridge', () => {
  let t: TestEngine | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers our window with a result envelope from the real EngineApi', async () => {
    t = await startTestEngine(scriptedJob('a', '      - name: a'));
    const call = createCallHandler({ api: t.api, trust });
    const res = await call(ours, { method: 'pause', input: { jobId: 'a', reason: 'because' } });
    expect(res).toEqual({ result: { paused: true } });
    const job = await call(ours, { method: 'job', input: { jobId: 'a' } });
    expect(job.result).toMatchObject({ id: 'a', paused: true, pauseReason: 'because' });
  });

  it('refuses other webContents and frames that are not our renderer', async () => {
    const api = { call: async () => 'never' };
    const call = createCallHandler({ api, trust });
    const forbidden = { error: { code: 'forbidden', message: 'IPC from an untrusted sender' } };
    expect(await call({ ...ours, sender: { id: 8 } }, { method: 'overview' })).toEqual(forbidden);
    expect(
      await call(
        { ...ours, senderFrame: { url: 'https://evil.example/' } },
        { method: 'overview' },
      ),
    ).toEqual(forbidden);
    expect(
      await call(
        { ...ours, senderFrame: { url: 'file:///tmp/other.html' } },
        { method: 'overview' },
      ),
    ).toEqual(forbidden);
    expect(await call({ ...ours, senderFrame: null }, { method: 'overview' })).toEqual(forbidden);
    const noWindow = createCallHandler({ api, trust: { ...trust, windowId: () => undefined } });
    expect(await noWindow(ours, { method: 'overview' })).toEqual(forbidden);
  });

  it('accepts the dev server origin only when running under it', () => {
    const dev = appUrlPolicy('http://localhost:5173/');
    expect(dev('http://localhost:5173/#/job/x')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(appUrlPolicy(APP)('http://localhost:5173/')).toBe(false);
  });

  it('validates method names and inputs with the contract schemas before calling', async () => {
    const calls: unknown[] = [];
    const call = createCallHandler({ api: { call: async (m, i) => calls.push([m, i]) }, trust });
    expect(await call(ours, { method: 'constructor' })).toMatchObject({
      error: { code: 'not_found' },
    });
    expect(await call(ours, { method: '__proto__' })).toMatchObject({
      error: { code: 'not_found' },
    });
    expect(await call(ours, { method: 'pause', input: { jobId: 'a', extra: 1 } })).toMatchObject({
      error: { code: 'invalid_input', message: expect.stringMatching(/^pause: /) },
    });
    expect(await call(ours, { method: 'items', input: { jobId: 'a', limit: 5000 } })).toMatchObject(
      {
        error: { code: 'invalid_input' },
      },
    );
    expect(calls).toEqual([]);
    await call(ours, { method: 'items', input: { jobId: 'a' } });
    // Defaults from the schema are applied in main, not trusted from the renderer.
    expect(calls).toEqual([['items', { jobId: 'a', limit: 50, offset: 0, sort: 'priority' }]]);
  });

  it('turns thrown errors into error envelopes with their code', async () => {
    t = await startTestEngine(scriptedJob('a', '      - name: a'));
    const logged: string[] = [];
    const call = createCallHandler({ api: t.api, trust, onError: (m) => logged.push(m) });
    expect(await call(ours, { method: 'job', input: { jobId: 'nope' } })).toEqual({
      error: { code: 'not_found', message: 'unknown job `nope`' },
    });
    const boom = createCallHandler({
      api: {
        call: async () => {
          throw new TypeError('bug');
        },
      },
      trust,
      onError: (m) => logged.push(m),
    });
    expect(await boom(ours, { method: 'overview' })).toEqual({
      error: { code: 'internal', message: 'bug' },
    });
    expect(logged).toEqual(['overview']);
  });

  it('connects preload and main end to end: bridge → ipcMain handler → engine, and drops', async () => {
    t = await startTestEngine(scriptedJob('a', '      - name: a'));
    // A fake pair of ipcMain / ipcRenderer passing structured clones, like Electron does.
    const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
    const ipcMain = {
      handle: (channel: string, fn: (event: IpcEventLike, ...args: unknown[]) => unknown) =>
        void handlers.set(channel, fn),
      removeHandler: (channel: string) => void handlers.delete(channel),
    };
    const drops: unknown[] = [];
    const unregister = registerIpc(ipcMain as never, {
      api: t.api,
      trust,
      drop: async (payload) => {
        drops.push(payload);
        return { added: [], refused: [], toast: { level: 'info', title: 'ok', lines: [] } };
      },
      onError: () => {},
    });
    const ipcRenderer: IpcRendererLike = {
      invoke: async (channel, ...args) =>
        structuredClone(await handlers.get(channel)!(ours, ...args.map((a) => structuredClone(a)))),
      on: () => {},
      removeListener: () => {},
    };
    const methods = methodsFromArgv(['electron', `--tributary-methods=overview,pause,resume`]);
    const bridge = createBridge(ipcRenderer, methods);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(await bridge.call('pause', { jobId: 'a' })).toEqual({ result: { paused: true } });
    expect(await bridge.call('reset', { jobId: 'a', stage: 'a' })).toMatchObject({
      error: { code: 'not_found' },
    });

    const payload = collectDropPayload(
      {
        types: ['text/uri-list', 'text/plain', 'Files'],
        getData: (t) =>
          t === 'text/uri-list'
            ? 'https://x.example/'
            : t === 'text/plain'
              ? 'https://x.example/'
              : '',
        files: [{ name: 'a.url' }],
      },
      () => '/home/me/a.url',
    );
    expect(await bridge.drop(payload)).toMatchObject({ result: { toast: { title: 'ok' } } });
    expect(drops).toEqual([
      { uriList: 'https://x.example/', text: 'https://x.example/', files: ['/home/me/a.url'] },
    ]);
    expect(await handlers.get(CHANNELS.drop)!(ours, { files: 'not-a-list' })).toMatchObject({
      error: { code: 'invalid_input' },
    });
    unregister();
    expect(handlers.size).toBe(0);
  });
});
