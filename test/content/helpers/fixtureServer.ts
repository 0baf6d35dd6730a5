import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Computed per request (conditional requests, counters). */
  handle?: (req: IncomingMessage) => {
    status?: number;
    headers?: Record<string, string>;
    body?: string | Buffer;
  };
}

export interface FixtureServer {
  base: string;
  url(path: string): string;
  hits(path: string): number;
  totalHits(): number;
  routes: Map<string, Route>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 serving fixture pages and counting requests per path. */
export async function startFixtureServer(routes: Record<string, Route>): Promise<FixtureServer> {
  const map = new Map(Object.entries(routes));
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const route = map.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const r = route.handle ? route.handle(req) : route;
    res.writeHead(r.status ?? 200, {
      'content-type': 'text/html; charset=utf-8',
      ...(r.headers ?? {}),
    });
    res.end(r.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    url: (p) => `${base}${p}`,
    hits: (p) => counts.get(p) ?? 0,
    totalHits: () => [...counts.values()].reduce((a, b) => a + b, 0),
    routes: map,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
