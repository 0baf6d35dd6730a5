import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../electron/engine/events/EventBus.ts';
import {
  startDashboardServer,
  type ApiCaller,
  type DashboardServer,
} from '../../electron/server/DashboardServer.ts';
import { tempDir } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';

const calls: { method: string; input: unknown }[] = [];
const fakeApi: ApiCaller = {
  async call(method, input) {
    calls.push({ method, input });
    return { echoed: method };
  },
};

let server: DashboardServer | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  calls.length = 0;
  for (const c of cleanups.splice(0)) c();
});

/** Raw request (fetch cannot set Host or Origin freely). */
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server!.url}${path}`,
      { method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const auth = () => ({ authorization: `Bearer ${server!.token}` });

describe('the dashboard server', () => {
  it('binds 127.0.0.1 and refuses any request without the session token with 401', async () => {
    server = await startDashboardServer({ api: fakeApi, rendererDir: null });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${server.url}/api/overview`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await fetch(`${server.url}/`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/api/overview`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    expect(calls).toHaveLength(0);
  });

  it('answers POST /api/<method> with a result envelope and passes the JSON input through', async () => {
    server = await startDashboardServer({ api: fakeApi, rendererDir: null });
    const r = await raw('/api/job', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{"jobId":"a"}',
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ result: { echoed: 'job' } });
    expect(calls).toEqual([{ method: 'job', input: { jobId: 'a' } }]);
  });

  it('maps unknown methods to 404, bad JSON to 400 and GET on a method to 405', async () => {
    server = await startDashboardServer({ api: fakeApi, rendererDir: null });
    expect((await raw('/api/constructor', { method: 'POST', headers: auth() })).status).toBe(404);
    expect((await raw('/api/nope', { method: 'POST', headers: auth() })).status).toBe(404);
    const bad = await raw('/api/job', { method: 'POST', headers: auth(), body: '{oops' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('invalid_input');
    expect((await raw('/api/job', { headers: auth() })).status).toBe(405);
  });

  it('refuses foreign origins and foreign Host names (DNS rebinding) with 403', async () => {
    server = await startDashboardServer({ api: fakeApi, rendererDir: null });
    const foreign = await raw('/api/overview', {
      method: 'POST',
      headers: { ...auth(), origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const rebound = await raw('/api/overview', {
      method: 'POST',
      headers: { ...auth(), host: `evil.example:${server.port}` },
    });
    expect(rebound.status).toBe(403);
    const own = await raw('/api/overview', {
      method: 'POST',
      headers: { ...auth(), origin: server.url },
    });
    expect(own.status).toBe(200);
    expect(calls).toHaveLength(1);
  });

  it('sends a strict Content-Security-Policy on every response', async () => {
    server = await startDashboardServer({ api: fakeApi, rendererDir: null });
    for (const r of [
      await raw('/'),
      await raw('/api/overview', { method: 'POST', headers: auth() }),
    ]) {
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
    }
  });

  it('trades a ?token= page URL for an HttpOnly cookie and serves the renderer with it', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    server = await startDashboardServer({ api: fakeApi, rendererDir: dir });
    const first = await raw(`/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = setCookie.split(';')[0]!;
    const page = await raw('/', { headers: { cookie } });
    expect([page.status, page.body]).toEqual([200, '<!doctype html><title>t</title>']);
    const js = await raw('/assets/app.js', { headers: { cookie } });
    expect(js.headers['content-type']).toContain('text/javascript');
    const escape = await raw('/..%2f..%2fetc%2fpasswd', { headers: { cookie } });
    expect(escape.body).toBe('<!doctype html><title>t</title>');
  });

  it('takes the token from a URL only on the page entry: API routes and the stream refuse it', async () => {
    server = await startDashboardServer({ api: fakeApi, rendererDir: null });
    for (const path of ['/api/overview', '/api/events'])
      expect((await raw(`${path}?token=${server.token}`)).status, path).toBe(401);
    expect(
      (await raw(`/api/overview?token=${server.token}`, { method: 'POST', body: '{}' })).status,
    ).toBe(401);
    const port = new URL(server.url).port;
    const first = await raw(`/?token=${server.token}`);
    expect(String(first.headers['set-cookie'])).toMatch(
      new RegExp(`^tributary_${port}=[^;]+; HttpOnly; SameSite=Strict; Path=/`),
    );
  });

  it('streams engine events over SSE, coalescing a burst of 10,000 completions into a few messages', async () => {
    const bus = new EventBus();
    server = await startDashboardServer({ api: fakeApi, bus, rendererDir: null, coalesceMs: 50 });
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/events`, {
      headers: { authorization: `Bearer ${server.token}` },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const pump = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += new TextDecoder().decode(value);
        }
      } catch {
        // Aborted at the end of the test: the stream is done.
      }
    })();
    await waitFor(() => text.includes('event: hello'));
    for (let i = 0; i < 10_000; i++)
      bus.emit({ type: 'progress', jobId: 'j', stages: { done: 1 } });
    bus.emit({ type: 'job_state', jobId: 'j', paused: true, reason: 'x' });
    await waitFor(() => text.includes('"type":"job_state"'));
    await waitFor(() => {
      const totals = [...text.matchAll(/event: engine\ndata: (\{"type":"progress".*)\n/g)].map(
        (m) => (JSON.parse(m[1]!) as { stages: { done: number } }).stages.done,
      );
      return totals.reduce((a, b) => a + b, 0) === 10_000 ? totals : null;
    });
    const messages = text.match(/"type":"progress"/g)!.length;
    expect(messages).toBeLessThanOrEqual(3);
    controller.abort();
    await pump;
  });
});
