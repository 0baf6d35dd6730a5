import type { Envelope, MethodName } from '../../electron/engine/api/contract.ts';
import type { Backend } from '../../renderer/src/lib/api/backend.ts';
import { createApiClient } from '../../renderer/src/lib/api/client.ts';
import { EventHub } from '../../renderer/src/lib/api/EventHub.svelte.ts';
import type { Transport } from '../../renderer/src/lib/api/transport.ts';

/** A Backend whose transport answers from a table of handlers and records every call. */
export function fakeBackend(handlers: Partial<Record<MethodName, (input: unknown) => unknown>>): {
  backend: Backend;
  calls: { method: string; input: unknown }[];
} {
  const calls: { method: string; input: unknown }[] = [];
  const transport: Transport = {
    async invoke(method, input): Promise<Envelope<unknown>> {
      calls.push({ method, input });
      const h = handlers[method];
      if (!h) return { error: { code: 'not_found', message: `no fake for ${method}` } };
      try {
        return { result: await h(input) };
      } catch (err) {
        // The fake turns throws into error envelopes, like the real transports.
        return { error: { code: 'internal', message: (err as Error).message } };
      }
    },
    subscribe: (_onEvent, onStatus) => {
      onStatus('open');
      return () => undefined;
    },
  };
  return {
    backend: { api: createApiClient(transport), events: new EventHub(transport), kind: 'browser' },
    calls,
  };
}
