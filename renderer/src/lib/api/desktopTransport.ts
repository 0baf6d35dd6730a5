import type { Envelope, MethodName } from '../../../../electron/engine/api/contract.ts';
import type { ConnectionStatus, DesktopBridge, Transport, UiEvent } from './transport.ts';

/** The Electron transport: the preload's `window.tributary` bridge over IPC. */
export function desktopTransport(bridge: DesktopBridge): Transport {
  return {
    invoke: (method: MethodName, input: unknown): Promise<Envelope<unknown>> =>
      bridge.call(method, input),
    subscribe(onEvent: (e: UiEvent) => void, onStatus: (s: ConnectionStatus) => void) {
      // IPC is always connected while the window lives.
      onStatus('open');
      return bridge.onEvent(onEvent);
    },
  };
}

export function findDesktopBridge(): DesktopBridge | null {
  const b = (globalThis as { tributary?: Partial<DesktopBridge> }).tributary;
  return b && typeof b.call === 'function' && typeof b.onEvent === 'function'
    ? (b as DesktopBridge)
    : null;
}
