import { redact } from '../engine/secrets/Redactor.ts';
import type { ServerResponse } from 'node:http';
import { ApiError } from '../engine/api/contract.ts';

/** Envelope error codes beyond ApiError's: the transport's own refusals. */
export type TransportCode = ApiError['code'] | 'unauthorized' | 'forbidden' | 'method_not_allowed';

const STATUS: Record<TransportCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  internal: 500,
  unavailable: 503,
};

export function statusFor(code: TransportCode): number {
  return STATUS[code];
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  // Every API answer passes the redactor: old rows, or text a secret reached by a path no
  // write guarded, never leave the host with it.
  const text = redact(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, code: TransportCode, message: string): void {
  sendJson(res, statusFor(code), { error: { code, message } });
}

/** Any thrown value → envelope code + message; unexpected errors are `internal`. */
export function toEnvelopeError(err: unknown): { code: TransportCode; message: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
