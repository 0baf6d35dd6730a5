import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase, type Db } from '../../electron/engine/db/openDatabase.ts';
import { findStrategy } from '../../electron/engine/discovery/registry.ts';
import type { DiscoveredItem, DiscoveryContext } from '../../electron/engine/discovery/types.ts';
import { silentLogger } from '../../electron/engine/log/logger.ts';
import { EnvSecretStore } from '../../electron/engine/secrets/SecretStore.ts';

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

/** A real HTTP server on 127.0.0.1, port 0, answering from a route table; counts hits. */
export async function fixtureServer(routes: Record<string, Route>): Promise<{
  url: (path: string) => string;
  hits: Map<string, number>;
  requests: IncomingMessage[];
  close: () => Promise<void>;
}> {
  const hits = new Map<string, number>();
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    hits.set(u.pathname, (hits.get(u.pathname) ?? 0) + 1);
    requests.push(req);
    const route = routes[u.pathname];
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    route(req, res, u);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function send(status: number, body: string, headers: Record<string, string> = {}): Route {
  return (_req, res) => {
    res.writeHead(status, headers).end(body);
  };
}

/** Runs one strategy round outside the engine and collects what it yields. */
export async function collect(
  name: string,
  params: Record<string, unknown>,
  over: Partial<DiscoveryContext> & { db?: Db } = {},
): Promise<{ items: DiscoveredItem[]; exhausted: boolean; state: Record<string, unknown> }> {
  const strategy = findStrategy(name);
  const parsed = strategy.paramsSchema.parse(params);
  let exhausted = false;
  const state = over.state ?? {};
  const ctx: DiscoveryContext = {
    jobId: 'test',
    signal: new AbortController().signal,
    log: silentLogger(),
    baseDir: process.cwd(),
    dataDir: process.cwd(),
    mode: 'monitor',
    secrets: new EnvSecretStore({}),
    db: over.db ?? memoryDb(),
    findStrategy: (n) => findStrategy(n),
    ...over,
    state,
    exhausted: () => {
      exhausted = true;
    },
  };
  const items: DiscoveredItem[] = [];
  for await (const it of strategy.discover(parsed, ctx)) items.push(it);
  return { items, exhausted, state };
}

/** A plain context for driving a strategy by hand. */
export function baseCtx(): DiscoveryContext {
  return {
    jobId: 'test',
    signal: new AbortController().signal,
    log: silentLogger(),
    baseDir: process.cwd(),
    dataDir: process.cwd(),
    mode: 'monitor',
    secrets: new EnvSecretStore({}),
    db: memoryDb(),
    findStrategy: (n) => findStrategy(n),
    state: {},
    exhausted: () => undefined,
  };
}

let mem: Db | undefined;
function memoryDb(): Db {
  mem ??= openDatabase(':memory:');
  return mem;
}
