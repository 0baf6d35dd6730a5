import type { ApiClient, MethodName } from '../../../../electron/engine/api/contract.ts';
import type { Transport } from './transport.ts';

/** An API failure as the view shows it: what happened (message) and a machine code. */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The renderer's ApiClient: every method of the contract, derived from its type (a Proxy, so
 * methods other engineers add to contract.ts appear here without a second list).
 */
export function createApiClient(transport: Transport): ApiClient {
  return new Proxy({} as ApiClient, {
    get(_target, prop) {
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return async (input: unknown) => {
        const env = await transport.invoke(prop as MethodName, input ?? {});
        if (env.error) throw new RemoteError(env.error.code, env.error.message);
        return env.result;
      };
    },
  });
}
