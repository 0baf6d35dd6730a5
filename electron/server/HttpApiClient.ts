import {
  ApiError,
  contract,
  type ApiClient,
  type Envelope,
  type MethodName,
} from '../engine/api/contract.ts';
import { readControlFile } from './controlFile.ts';

export interface HttpApiClientOptions {
  /** Base URL of a running host, e.g. http://127.0.0.1:43121 */
  url: string;
  token: string;
  /** Per-request timeout; a hung host must not hang the CLI. */
  timeoutMs?: number;
}

const API_CODES = new Set<string>([
  'not_found',
  'invalid_input',
  'conflict',
  'unavailable',
  'internal',
]);

/**
 * An ApiClient over the headless server (the CLI's control channel, and the HTTP side of the
 * conformance suite). Built from the contract's method list, so new methods just work.
 * Errors come back as ApiError with the server's code; refusals (401/403) and connection
 * failures become `unavailable`.
 */
export function createHttpApiClient(opts: HttpApiClientOptions): ApiClient & {
  call(method: MethodName, input: unknown): Promise<unknown>;
} {
  const call = async (method: MethodName, input: unknown): Promise<unknown> => {
    let res: Response;
    try {
      res = await fetch(`${opts.url}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      // Connection refused / timeout: the host is gone or hung; callers may fall back to the DB.
      throw new ApiError(
        'unavailable',
        `host at ${opts.url} did not answer: ${(err as Error).message}`,
      );
    }
    let body: Envelope<unknown>;
    try {
      body = (await res.json()) as Envelope<unknown>;
    } catch {
      // Not our server (or a proxy page): report it rather than a JSON parse error.
      throw new ApiError(
        'unavailable',
        `host at ${opts.url} answered HTTP ${res.status} without JSON`,
      );
    }
    if (body.error) {
      const code = API_CODES.has(body.error.code)
        ? (body.error.code as ApiError['code'])
        : 'unavailable';
      throw new ApiError(code, body.error.message);
    }
    return body.result;
  };
  const client = { call } as Record<string, unknown>;
  for (const method of Object.keys(contract) as MethodName[])
    client[method] = (input: unknown) => call(method, input);
  return client as unknown as ApiClient & { call: typeof call };
}

/** A client for the host running on this data dir, or null when control.json names none. */
export function httpApiClientFor(
  dataDir: string,
  timeoutMs?: number,
): ReturnType<typeof createHttpApiClient> | null {
  const info = readControlFile(dataDir);
  if (!info) return null;
  return createHttpApiClient({
    url: info.url,
    token: info.token,
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}
