import type { ConnectionStatus, Transport, UiEvent } from './transport.ts';

type Listener = (e: UiEvent) => void;

/**
 * One live connection to the host's event stream, shared by every store. Stores subscribe to
 * the event types they care about; a reconnect is announced as a `reconnect` event so each
 * store refetches what it may have missed.
 */
export class EventHub {
  status = $state<ConnectionStatus>('connecting');
  private readonly listeners = new Set<{ types: Set<string> | null; fn: Listener }>();
  private unsubscribe: (() => void) | undefined;
  private wasOpen = false;

  constructor(transport: Transport | null) {
    if (!transport) return;
    this.unsubscribe = transport.subscribe(
      (e) => this.dispatch(e),
      (s) => {
        if (s === 'open' && this.wasOpen && this.status !== 'open')
          this.dispatch({ type: 'reconnect' });
        if (s === 'open') this.wasOpen = true;
        this.status = s;
      },
    );
  }

  /** Listens to some event types (or all, with '*'). Returns unsubscribe. */
  on(types: string[] | '*', fn: Listener): () => void {
    const entry = { types: types === '*' ? null : new Set(types), fn };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** Delivers an event to listeners (the transport calls this; tests call it directly). */
  dispatch(e: UiEvent): void {
    for (const l of this.listeners) {
      if (l.types && !l.types.has(e.type) && e.type !== 'reconnect') continue;
      l.fn(e);
    }
  }

  close(): void {
    this.unsubscribe?.();
    this.listeners.clear();
  }
}
