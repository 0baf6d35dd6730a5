import type { Envelope } from '../engine/api/contract.ts';
import type { EngineEvent } from '../engine/events/EventBus.ts';
import { CHANNELS, METHODS_SWITCH, type Toast } from '../main/channels.ts';
import type { DropPayload } from '../main/dropPayload.ts';
import type { DropReport } from '../main/handleDrop.ts';

/** The slice of ipcRenderer the bridge uses (injectable for tests). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * What the renderer sees as `window.tributary`: one function per contract method returning
 * the `{ error, result }` envelope, plus subscriptions. No ipcRenderer, no Node, no generic
 * "send anything" escape hatch.
 */
export interface TributaryBridge {
  /** Contract methods available (the renderer's IPC ApiClient checks against its contract). */
  readonly methods: readonly string[];
  call(method: string, input?: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  onToast(listener: (toast: Toast) => void): () => void;
  onNavigate(listener: (route: string) => void): () => void;
  drop(payload: DropPayload): Promise<Envelope<DropReport>>;
}

export function methodsFromArgv(argv: readonly string[]): string[] {
  const arg = argv.find((a) => a.startsWith(METHODS_SWITCH));
  return arg ? arg.slice(METHODS_SWITCH.length).split(',').filter(Boolean) : [];
}

export function createBridge(ipc: IpcRendererLike, methods: readonly string[]): TributaryBridge {
  const subscribe =
    <T>(channel: string) =>
    (listener: (value: T) => void): (() => void) => {
      // The Electron event object stays here: it carries `sender`, which must not leak.
      const wrapped = (_event: unknown, value: unknown) => listener(value as T);
      ipc.on(channel, wrapped);
      return () => void ipc.removeListener(channel, wrapped);
    };
  return Object.freeze({
    methods: Object.freeze([...methods]),
    call: async (method: string, input?: unknown) => {
      // Unknown names are refused here too, so a typo never becomes a round trip.
      if (!methods.includes(method))
        return { error: { code: 'not_found', message: `unknown method \`${method}\`` } };
      return (await ipc.invoke(CHANNELS.call, { method, input: input ?? {} })) as Envelope<unknown>;
    },
    onEvent: subscribe<EngineEvent>(CHANNELS.event),
    onToast: subscribe<Toast>(CHANNELS.toast),
    onNavigate: subscribe<string>(CHANNELS.navigate),
    drop: async (payload: DropPayload) =>
      (await ipc.invoke(CHANNELS.drop, payload)) as Envelope<DropReport>,
  });
}
