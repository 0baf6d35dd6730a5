import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contract, type MethodName } from '../engine/api/contract.ts';
import type { EventBus } from '../engine/events/EventBus.ts';
import { sendError, sendJson, statusFor, toEnvelopeError } from './httpErrors.ts';
import { setSecurityHeaders } from './securityHeaders.ts';
import { newSessionToken, tokensEqual } from './sessionToken.ts';
import { SseHub } from './SseHub.ts';
import { findRendererDir, serveStatic } from './staticFiles.ts';

/** Input bodies above this are refused (a paste of ~20,000 URLs fits comfortably). */
const MAX_BODY_BYTES = 2_000_000;

/** Anything with EngineApi's validating entry point: the server never calls methods directly. */
export interface ApiCaller {
  call(method: MethodName, input: unknown): Promise<unknown>;
}

export interface DashboardServerOptions {
  api: ApiCaller;
  bus?: EventBus;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token (tests); default: a fresh random one per start. */
  token?: string;
  /** Built renderer; default: found next to the CLI bundle. null serves the API only. */
  rendererDir?: string | null;
  /** SSE coalescing window (tests shorten it). */
  coalesceMs?: number;
}

export interface DashboardServer {
  /** Base URL, e.g. http://127.0.0.1:43121 (no token). */
  readonly url: string;
  /** The URL to open in a browser: carries the token once, then a cookie holds it. */
  readonly openUrl: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The headless transport of EngineApi: `POST /api/<method>` with a JSON body → `{ result }` or
 * `{ error: { code, message } }`, `GET /api/events` (Server-Sent Events; POST is the `events`
 * query), and the built
 * renderer. Binds 127.0.0.1 only. Every request needs the session token (Bearer header or
 * session cookie; `?token=` only on the page entry, which swaps it for the cookie); foreign Origins and Host names are refused (the latter
 * defeats DNS rebinding).
 */
export async function startDashboardServer(opts: DashboardServerOptions): Promise<DashboardServer> {
  const token = opts.token ?? newSessionToken();
  const rendererDir = opts.rendererDir === undefined ? findRendererDir() : opts.rendererDir;
  const hub = new SseHub(opts.bus, opts.coalesceMs);
  let port = 0;
  const cookieName = () => `tributary_${port}`;

  const server: Server = createServer((req, res) => {
    setSecurityHeaders(res);
    handle(req, res).catch((err: unknown) => {
      // A bug in routing (not in the API, whose errors are envelopes): answer 500, keep serving.
      if (!res.headersSent) sendError(res, 'internal', toEnvelopeError(err).message);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    if (!allowedHosts.includes(req.headers.host ?? ''))
      return sendError(res, 'forbidden', 'unexpected Host header');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`))
      return sendError(res, 'forbidden', `requests from ${origin} are not allowed`);
    if (req.headers['sec-fetch-site'] === 'cross-site')
      return sendError(res, 'forbidden', 'cross-site requests are not allowed');

    // The token in a URL is taken only by the page entry, which trades it for the cookie at
    // once: a URL ends up in history, logs and referrers, so API routes never accept it.
    const pageEntry = req.method === 'GET' && !url.pathname.startsWith('/api/');
    const queryToken = pageEntry ? url.searchParams.get('token') : null;
    const authorized =
      tokensEqual(bearer(req), token) ||
      tokensEqual(cookie(req, cookieName()), token) ||
      tokensEqual(queryToken, token);
    if (!authorized) {
      return sendError(
        res,
        'unauthorized',
        'missing or wrong session token: open the URL printed by `jobctl run --dashboard` (or read control.json in the data dir)',
      );
    }
    // A page opened with ?token= trades it for an HttpOnly cookie and drops it from the URL,
    // so it does not linger in history or get copied along with the address.
    if (queryToken) {
      url.searchParams.delete('token');
      res.writeHead(303, {
        location: url.pathname + url.search,
        'set-cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }

    // GET /api/events is the live stream; POST /api/events is the `events` query (history).
    if (url.pathname === '/api/events' && req.method === 'GET') {
      hub.attach(res);
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const method = url.pathname.slice('/api/'.length);
      if (!Object.hasOwn(contract, method))
        return sendError(res, 'not_found', `unknown method \`${method}\``);
      if (req.method !== 'POST')
        return sendError(res, 'method_not_allowed', `use POST /api/${method} with a JSON body`);
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body.length === 0 ? {} : (JSON.parse(body) as unknown);
      } catch (err) {
        // Bad JSON or an oversized body: the caller's mistake, reported as invalid input.
        return sendError(res, 'invalid_input', `request body: ${(err as Error).message}`);
      }
      try {
        const result = await opts.api.call(method as MethodName, input);
        return sendJson(res, 200, { result: result ?? null });
      } catch (err) {
        // API errors travel as envelopes with a matching status; the server keeps running.
        const e = toEnvelopeError(err);
        return sendJson(res, statusFor(e.code), { error: e });
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendError(res, 'method_not_allowed', 'the dashboard only serves GET');
    serveStatic(rendererDir, url.pathname, res);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    openUrl: `${base}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((done) => {
        hub.close();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`larger than ${MAX_BODY_BYTES} bytes`));
        // Keep draining (without storing) so the 400 answer still reaches the client.
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
