import type { Envelope, MethodName } from '../../../../electron/engine/api/contract.ts';
import type { ConnectionStatus, Transport, UiEvent } from './transport.ts';

/**
 * The headless transport: `POST /api/<method>` and an EventSource on `/api/events`. The
 * session cookie set when the tokenised URL was opened authenticates both.
 */
export function httpTransport(base = ''): Transport {
  return {
    async invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>> {
      let res: Response;
      try {
        res = await fetch(`${base}/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
      } catch {
        // Network failure: the host stopped or restarted; say so instead of a TypeError.
        return {
          error: { code: 'unavailable', message: 'cannot reach the host — is it still running?' },
        };
      }
      if (res.status === 401) {
        return {
          error: {
            code: 'unauthorized',
            message:
              'this session is not authorised (the host restarted?): open the URL it printed',
          },
        };
      }
      try {
        return (await res.json()) as Envelope<unknown>;
      } catch {
        // Not an envelope (a proxy error page?): report the HTTP status.
        return { error: { code: 'unavailable', message: `the host answered HTTP ${res.status}` } };
      }
    },
    subscribe(onEvent: (e: UiEvent) => void, onStatus: (s: ConnectionStatus) => void) {
      const es = new EventSource(`${base}/api/events`, { withCredentials: true });
      onStatus('connecting');
      es.onopen = () => onStatus('open');
      es.onerror = () => onStatus(es.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
      es.addEventListener('engine', (m) => {
        try {
          onEvent(JSON.parse((m as MessageEvent<string>).data) as UiEvent);
        } catch {
          // A malformed message is dropped; the next refetch shows the truth anyway.
        }
      });
      return () => es.close();
    },
  };
}
