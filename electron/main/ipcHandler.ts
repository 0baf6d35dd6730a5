import { redactor } from '../engine/secrets/Redactor.ts';
import { ApiError, contract, type Envelope, type MethodName } from '../engine/api/contract.ts';

/** The parts of an Electron IpcMainInvokeEvent the checks need (no electron import here). */
export interface IpcEventLike {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

export interface TrustPolicy {
  /** webContents id of our one window, or undefined while it does not exist. */
  windowId(): number | undefined;
  /** True for a URL of our own renderer (the packaged file or the dev server). */
  isAppUrl(url: string): boolean;
}

/**
 * Fiddle's sender check: only our window's webContents, and only a frame showing our own
 * renderer, may call the engine. A navigated or injected frame gets `forbidden`.
 */
export function isTrustedSender(event: IpcEventLike, policy: TrustPolicy): boolean {
  const id = policy.windowId();
  if (id === undefined || event.sender.id !== id) return false;
  const url = event.senderFrame?.url;
  return url !== undefined && policy.isAppUrl(url);
}

/** `file://…/renderer/index.html` in a build, `http://localhost:5173/` under electron-vite dev. */
export function appUrlPolicy(appUrl: string): (url: string) => boolean {
  const base = new URL(appUrl);
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      // Not parseable: certainly not our page.
      return false;
    }
    if (base.protocol === 'file:') return u.protocol === 'file:' && u.pathname === base.pathname;
    return u.origin === base.origin;
  };
}

export interface Callable {
  call(method: MethodName, input: unknown): Promise<unknown>;
}

export type CallHandler = (event: IpcEventLike, request: unknown) => Promise<Envelope<unknown>>;

/**
 * The one IPC handler for every contract method: sender check, method check, input
 * validation with the contract's zod schema (the same as the HTTP transport), then the call.
 * Nothing throws across IPC: errors come back as `{ error: { code, message } }` (Electron
 * would otherwise serialize an Error with its stack and lose the code).
 */
export function createCallHandler(deps: {
  api: Callable;
  trust: TrustPolicy;
  onError?: (method: string, err: unknown) => void;
}): CallHandler {
  return async (event, request) => {
    if (!isTrustedSender(event, deps.trust))
      return { error: { code: 'forbidden', message: 'IPC from an untrusted sender' } };
    const { method, input } = (request ?? {}) as { method?: unknown; input?: unknown };
    if (typeof method !== 'string' || !Object.hasOwn(contract, method))
      return { error: { code: 'not_found', message: `unknown method \`${String(method)}\`` } };
    const name = method as MethodName;
    const parsed = contract[name].input.safeParse(input ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
        .join('; ');
      return { error: { code: 'invalid_input', message: `${name}: ${detail}` } };
    }
    try {
      // The window gets what the HTTP API would give: redacted (secrets/Redactor.ts).
      return { result: redactor.redactDeep(await deps.api.call(name, parsed.data)) };
    } catch (err) {
      if (err instanceof ApiError) return { error: { code: err.code, message: err.message } };
      // Unexpected: logged in main with its stack; the renderer gets the message only.
      deps.onError?.(name, err);
      return {
        error: { code: 'internal', message: err instanceof Error ? err.message : String(err) },
      };
    }
  };
}
