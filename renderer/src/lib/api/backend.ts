import { getContext, setContext } from 'svelte';
import type { ApiClient } from '../../../../electron/engine/api/contract.ts';
import { createApiClient } from './client.ts';
import { desktopTransport, findDesktopBridge } from './desktopTransport.ts';
import { EventHub } from './EventHub.svelte.ts';
import { httpTransport } from './httpTransport.ts';
import type { ShellToast, Transport } from './transport.ts';

/** What every view reaches the engine through: the typed API and the live event hub. */
export interface Backend {
  api: ApiClient;
  events: EventHub;
  /** 'desktop' over IPC, 'browser' over HTTP. */
  kind: 'desktop' | 'browser';
  /** Desktop only: toasts the shell sends (drops it handled itself). Returns unsubscribe. */
  onShellToast?: (listener: (t: ShellToast) => void) => () => void;
}

const KEY = Symbol('backend');

export function createBackend(transport?: Transport): Backend {
  const bridge = transport ? null : findDesktopBridge();
  const t = transport ?? (bridge ? desktopTransport(bridge) : httpTransport());
  const backend: Backend = {
    api: createApiClient(t),
    events: new EventHub(t),
    kind: bridge ? 'desktop' : 'browser',
  };
  const onToast = bridge?.onToast;
  if (onToast) backend.onShellToast = (listener) => onToast.call(bridge, listener);
  return backend;
}

export function provideBackend(b: Backend): void {
  setContext(KEY, b);
}

export function useBackend(): Backend {
  const b = getContext<Backend | undefined>(KEY);
  if (!b) throw new Error('no Backend in context: render inside <App> or pass one in tests');
  return b;
}

export const BACKEND_KEY = KEY;
