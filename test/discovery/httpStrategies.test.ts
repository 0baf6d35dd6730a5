import { afterEach, describe, expect, it } from 'vitest';
import { AuthRequiredError, FormatError, HttpError } from '../../electron/engine/discovery/http.ts';
import { EnvSecretStore } from '../../electron/engine/secrets/SecretStore.ts';
import { MissingSecretError } from '../../electron/engine/secrets/resolveSecretHeaders.ts';
import {
  ATOM,
  JSON_FEED,
  LINKS_PAGE,
  LOGIN_PAGE,
  PLAIN_HTML,
  RSS,
  sitemapIndex,
  urlset,
} from './feeds.ts';
import { collect, fixtureServer, send } from './helpers.ts';

let server: Awaited<ReturnType<typeof fixtureServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const XML = { 'content-type': 'application/rss+xml; charset=utf-8' };

describe('rss', () => {
  it('reads RSS 2.0, keyed by guid with the link as fallback, and skips entries with neither', async () => {
    server = await fixtureServer({ '/feed.xml': send(200, RSS, XML) });
    const { items } = await collect('rss', { url: server.url('/feed.xml') });
    expect(items.map((i) => i.key)).toEqual([
      'post-1001',
      'https://blog.example.com/posts/no-guid',
    ]);
    expect(items[0]?.data).toMatchObject({
      url: 'https://blog.example.com/posts/sqlite',
      title: 'Scaling SQLite to a million rows & beyond',
      topics: ['databases', 'performance'],
      sources: [server.url('/feed.xml')],
    });
  });

  it('reads Atom entries by id', async () => {
    server = await fixtureServer({
      '/atom': send(200, ATOM, { 'content-type': 'application/atom+xml' }),
    });
    const { items } = await collect('rss', { url: server.url('/atom') });
    expect(items.map((i) => i.key)).toEqual([
      'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a',
      'tag:example.org,2003:3.2398',
    ]);
    expect(items[0]?.data).toMatchObject({
      title: 'Atom-Powered Robots Run Amok',
      authors: ['John Doe'],
    });
  });

  it('reads JSON Feed by hand, numeric ids and url fallback included', async () => {
    server = await fixtureServer({
      '/feed.json': send(200, JSON_FEED, { 'content-type': 'application/feed+json' }),
    });
    const { items } = await collect('rss', { url: server.url('/feed.json') });
    expect(items.map((i) => i.key)).toEqual(['2', '1', 'https://example.org/only-url']);
    expect(items[0]?.data).toMatchObject({ topics: ['news'], authors: ['Brent'] });
  });

  it('sends the ETag and Last-Modified back and treats 304 as nothing new', async () => {
    server = await fixtureServer({
      '/feed.xml': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') {
          res.writeHead(304).end();
          return;
        }
        res
          .writeHead(200, {
            ...XML,
            etag: '"v1"',
            'last-modified': 'Tue, 02 Jan 2024 10:00:00 GMT',
          })
          .end(RSS);
      },
    });
    const first = await collect('rss', { url: server.url('/feed.xml') });
    expect(first.items).toHaveLength(2);
    expect(first.state).toMatchObject({
      etag: '"v1"',
      lastModified: 'Tue, 02 Jan 2024 10:00:00 GMT',
    });
    const second = await collect('rss', { url: server.url('/feed.xml') }, { state: first.state });
    expect(second.items).toEqual([]);
    const last = server.requests.at(-1);
    expect(last?.headers['if-modified-since']).toBe('Tue, 02 Jan 2024 10:00:00 GMT');
  });

  it('turns a 429 into an HttpError carrying Retry-After', async () => {
    server = await fixtureServer({ '/feed.xml': send(429, 'slow down', { 'retry-after': '120' }) });
    const err = await collect('rss', { url: server.url('/feed.xml') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 429, retryAfterMs: 120_000 });
  });

  it('rejects truncated XML instead of returning the entries it could read', async () => {
    server = await fixtureServer({
      '/feed.xml': send(200, RSS.slice(0, RSS.indexOf('<item>', 600) + 40), XML),
    });
    await expect(collect('rss', { url: server.url('/feed.xml') })).rejects.toBeInstanceOf(
      FormatError,
    );
  });

  it('rejects an HTML page where a feed was promised', async () => {
    server = await fixtureServer({
      '/feed.xml': send(200, PLAIN_HTML, { 'content-type': 'text/html' }),
    });
    await expect(collect('rss', { url: server.url('/feed.xml') })).rejects.toThrow(
      /HTML page instead of a feed/,
    );
  });

  it('treats a 200 login page as an auth error, not as items', async () => {
    server = await fixtureServer({
      '/feed.xml': send(200, LOGIN_PAGE, { 'content-type': 'text/html' }),
    });
    await expect(collect('rss', { url: server.url('/feed.xml') })).rejects.toBeInstanceOf(
      AuthRequiredError,
    );
  });

  it('treats a 401 as an auth error', async () => {
    server = await fixtureServer({ '/feed.xml': send(401, 'no') });
    await expect(collect('rss', { url: server.url('/feed.xml') })).rejects.toBeInstanceOf(
      AuthRequiredError,
    );
  });

  it('rejects truncated JSON Feed', async () => {
    server = await fixtureServer({
      '/feed.json': send(200, JSON_FEED.slice(0, 80), { 'content-type': 'application/json' }),
    });
    await expect(collect('rss', { url: server.url('/feed.json') })).rejects.toBeInstanceOf(
      FormatError,
    );
  });
});

describe('sitemap', () => {
  it('reads a urlset and filters on lastmod', async () => {
    const recent = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    server = await fixtureServer({
      '/sitemap.xml': send(
        200,
        urlset([
          { loc: 'https://ex.org/new', lastmod: recent },
          { loc: 'https://ex.org/old', lastmod: '2001-01-01' },
          { loc: 'https://ex.org/undated?utm_source=x' },
        ]),
        { 'content-type': 'application/xml' },
      ),
    });
    const { items } = await collect('sitemap', { url: server.url('/sitemap.xml'), since: '30d' });
    expect(items.map((i) => i.key)).toEqual(['https://ex.org/new', 'https://ex.org/undated']);
  });

  it('follows a sitemap index, newest child first', async () => {
    const routes: Parameters<typeof fixtureServer>[0] = {};
    server = await fixtureServer(routes);
    routes['/index.xml'] = send(
      200,
      sitemapIndex([
        { loc: server.url('/a.xml'), lastmod: '2024-01-01' },
        { loc: server.url('/b.xml'), lastmod: '2024-02-01' },
      ]),
    );
    routes['/a.xml'] = send(200, urlset([{ loc: 'https://ex.org/a1' }]));
    routes['/b.xml'] = send(
      200,
      urlset([{ loc: 'https://ex.org/b1' }, { loc: 'https://ex.org/b2' }]),
    );
    const { items } = await collect('sitemap', { url: server.url('/index.xml') });
    expect(items.map((i) => i.key)).toEqual([
      'https://ex.org/b1',
      'https://ex.org/b2',
      'https://ex.org/a1',
    ]);
    const backfill = { mode: 'backfill' as const, state: {} };
    const r1 = await collect('sitemap', { url: server.url('/index.xml') }, backfill);
    const r2 = await collect('sitemap', { url: server.url('/index.xml') }, backfill);
    expect([r1.items.length, r1.exhausted, r2.items.length, r2.exhausted]).toEqual([
      2,
      false,
      1,
      true,
    ]);
  });

  it('rejects truncated XML and HTML where a sitemap was promised', async () => {
    server = await fixtureServer({
      '/cut.xml': send(200, urlset([{ loc: 'https://ex.org/a' }]).slice(0, 120)),
      '/html.xml': send(200, PLAIN_HTML),
    });
    await expect(collect('sitemap', { url: server.url('/cut.xml') })).rejects.toBeInstanceOf(
      FormatError,
    );
    await expect(collect('sitemap', { url: server.url('/html.xml') })).rejects.toThrow(
      /HTML page instead of a sitemap/,
    );
  });
});

describe('html_links', () => {
  it('picks links by selector, resolves them against <base>, normalizes and dedupes', async () => {
    server = await fixtureServer({
      '/news/': send(200, LINKS_PAGE, { 'content-type': 'text/html' }),
    });
    const { items } = await collect('html_links', {
      url: server.url('/news/'),
      selector: 'a.story',
      exclude: '/sponsored/',
    });
    expect(items.map((i) => i.key)).toEqual([
      server.url('/news/story-1'),
      'https://other.example.net/story-2',
    ]);
    expect(items[0]?.data).toMatchObject({ title: 'First story' });
  });

  it('applies include and same_host', async () => {
    server = await fixtureServer({
      '/news/': send(200, LINKS_PAGE, { 'content-type': 'text/html' }),
    });
    const { items } = await collect('html_links', {
      url: server.url('/news/'),
      same_host: true,
      include: 'story',
    });
    expect(items.map((i) => i.key)).toEqual([server.url('/news/story-1')]);
  });
});

describe('http_json', () => {
  const page = (n: number, next: string | null) =>
    JSON.stringify({
      data: {
        children: [
          { id: `p${n}a`, title: `A${n}`, meta: { score: n } },
          { id: `p${n}b`, title: `B${n}` },
        ],
      },
      links: { next },
    });

  it('follows next links, maps fields, and resolves secret headers without leaking them', async () => {
    server = await fixtureServer({
      '/api': (req, res, u) => {
        if (req.headers.authorization !== 'Bearer s3cret') {
          res.writeHead(401).end();
          return;
        }
        const p = Number(u.searchParams.get('cursor') ?? 1);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(page(p, p < 3 ? `/api?cursor=${p + 1}` : null));
      },
    });
    const { items } = await collect(
      'http_json',
      {
        url: server.url('/api'),
        headers: { Authorization: 'secret:demo_api' },
        items: 'data.children',
        key: 'id',
        fields: { title: 'title', score: 'meta.score' },
        pagination: { next: 'links.next' },
      },
      { secrets: new EnvSecretStore({ TRIBUTARY_SECRET_DEMO_API: 'Bearer s3cret' }) },
    );
    expect(items.map((i) => i.key)).toEqual(['p1a', 'p1b', 'p2a', 'p2b', 'p3a', 'p3b']);
    expect(items[0]?.data).toEqual({ title: 'A1', score: 1 });
    expect(items[1]?.data).toEqual({ title: 'B1' });
  });

  it('fails clearly, without the value, when a secret is missing', async () => {
    server = await fixtureServer({ '/api': send(200, '[]') });
    const err = await collect('http_json', {
      url: server.url('/api'),
      headers: { 'X-Key': 'secret:nope' },
    }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(MissingSecretError);
    expect(String((err as Error).message)).toMatch(/needs secret `nope`/);
  });

  it('counts a page parameter until a page comes back empty', async () => {
    server = await fixtureServer({
      '/list': (_req, res, u) => {
        const p = Number(u.searchParams.get('page'));
        res.writeHead(200).end(JSON.stringify(p <= 2 ? [{ id: p * 10 }, { id: p * 10 + 1 }] : []));
      },
    });
    const { items } = await collect('http_json', {
      url: server.url('/list'),
      pagination: { param: 'page' },
    });
    expect(items.map((i) => i.key)).toEqual(['10', '11', '20', '21']);
  });

  it('reads one page per round in backfill mode and reports exhaustion at the end', async () => {
    server = await fixtureServer({
      '/list': (_req, res, u) => {
        const p = Number(u.searchParams.get('page'));
        res.writeHead(200).end(JSON.stringify(p <= 2 ? [{ id: `x${p}` }] : []));
      },
    });
    const params = { url: server.url('/list'), pagination: { param: 'page' } };
    const state = {};
    const rounds: string[][] = [];
    let exhausted = false;
    for (let i = 0; i < 5 && !exhausted; i++) {
      const r = await collect('http_json', params, { mode: 'backfill', state });
      rounds.push(r.items.map((x) => x.key));
      exhausted = r.exhausted;
    }
    expect(rounds).toEqual([['x1'], ['x2'], []]);
    expect(exhausted).toBe(true);
  });

  it('rejects an HTML login page and garbage JSON', async () => {
    server = await fixtureServer({
      '/login': send(200, LOGIN_PAGE),
      '/bad': send(200, '{"data": [1, 2'),
    });
    await expect(collect('http_json', { url: server.url('/login') })).rejects.toBeInstanceOf(
      AuthRequiredError,
    );
    await expect(collect('http_json', { url: server.url('/bad') })).rejects.toBeInstanceOf(
      FormatError,
    );
  });
});
