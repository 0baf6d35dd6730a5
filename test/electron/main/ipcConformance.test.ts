import {
  ApiError,
  contract,
  type ApiClient,
  type MethodName,
} from '../../../electron/engine/api/contract.ts';
import { appUrlPolicy } from '../../../electron/main/ipcHandler.ts';
import { registerIpc } from '../../../electron/main/registerIpc.ts';
import { createBridge, type IpcRendererLike } from '../../../electron/preload/bridge.ts';
import { apiConformance, type ConformanceClient } from '../../helpers/apiConformance.ts';

const APP = 'file:///opt/Tributary/resources/app.asar/out/renderer/index.html';
const API_CODES = new Set(['not_found', 'invalid_input', 'conflict', 'unavailable', 'internal']);

type Handler = (event: unknown, ...args: unknown[]) => unknown;

/**
 * Electron's IPC without Electron: the real main-process handlers (registerIpc: sender check,
 * contract validation, envelopes) behind a stand-in ipcMain, reached through the real preload
 * bridge from a stand-in ipcRenderer. Arguments and results are structured-cloned both ways,
 * as Electron does, so anything that would not survive the real channel fails here too.
 */
apiConformance('Electron IPC', async (t) => {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: (channel: string, fn: Handler) => void handlers.set(channel, fn),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
  const webContents = { id: 7 };
  const remove = registerIpc(ipcMain as unknown as Parameters<typeof registerIpc>[0], {
    api: t.api,
    trust: { windowId: () => webContents.id, isAppUrl: appUrlPolicy(APP) },
    drop: () => Promise.reject(new Error('drops are not part of the contract suite')),
    onError: () => {},
  });
  const ipcRenderer: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const event = { sender: webContents, senderFrame: { url: `${APP}#/` } };
      return structuredClone(await handler(event, ...structuredClone(args)));
    },
    on: () => undefined,
    removeListener: () => undefined,
  };
  const bridge = createBridge(ipcRenderer, Object.keys(contract));
  // What the renderer's client does with an envelope, with the contract's error type.
  const call = async (method: MethodName, input: unknown): Promise<unknown> => {
    const env = await bridge.call(method, input);
    if (env.error) {
      const code = API_CODES.has(env.error.code)
        ? (env.error.code as ApiError['code'])
        : 'unavailable';
      throw new ApiError(code, env.error.message);
    }
    return env.result;
  };
  const client = { call } as Record<string, unknown>;
  for (const method of Object.keys(contract) as MethodName[])
    client[method] = (input: unknown) => call(method, input);
  return {
    client: client as unknown as ApiClient & ConformanceClient,
    close: async () => remove(),
  };
});
