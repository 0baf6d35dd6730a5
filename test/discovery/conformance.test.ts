import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinStrategies } from '../../electron/engine/discovery/registry.ts';
import type { DiscoveredItem } from '../../electron/engine/discovery/types.ts';
import { tempDir } from '../helpers/testEngine.ts';
import { JSON_FEED, LINKS_PAGE, urlset } from './feeds.ts';
import { baseCtx, fixtureServer, send } from './helpers.ts';

const SCRIPT = resolve(import.meta.dirname, '../fixtures/discovery/emitJsonLines.mjs');
let server: Awaited<ReturnType<typeof fixtureServer>>;
let folder: ReturnType<typeof tempDir>;

beforeAll(async () => {
  server = await fixtureServer({
    '/feed.json': send(200, JSON_FEED, { 'content-type': 'application/feed+json' }),
    '/sitemap.xml': send(200, urlset([{ loc: 'https://ex.org/a' }, { loc: 'https://ex.org/b' }])),
    '/news/': send(200, LINKS_PAGE, { 'content-type': 'text/html' }),
    '/api': send(200, JSON.stringify([{ id: 1 }, { id: 'two' }])),
  });
  folder = tempDir('tributary-conf-');
  writeFileSync(join(folder.dir, 'one.txt'), '1');
});
afterAll(async () => {
  await server.close();
  folder.cleanup();
});

/** Params per built-in strategy that make it yield at least one item here. */
const cases: Record<string, () => Record<string, unknown>> = {
  static: () => ({ items: ['a', { key: 'b', data: { x: 1 } }] }),
  manual: () => ({}),
  rss: () => ({ url: server.url('/feed.json') }),
  sitemap: () => ({ url: server.url('/sitemap.xml') }),
  html_links: () => ({ url: server.url('/news/') }),
  http_json: () => ({ url: server.url('/api') }),
  directory: () => ({ path: folder.dir, settle: '0ms' }),
  command: () => ({ command: process.execPath, args: [SCRIPT, 'ok'] }),
  tracker_query: () => ({ job: 'nothing', stage: 'x' }),
  multi_source: () => ({
    sources: [
      { strategy: 'static', params: { items: ['m'] } },
      { strategy: 'http_json', params: { url: server.url('/api') } },
    ],
  }),
};

describe('every built-in strategy', () => {
  it('has a conformance case', () => {
    expect([...builtinStrategies().keys()].sort()).toEqual(Object.keys(cases).sort());
  });

  for (const [name, params] of Object.entries(cases)) {
    describe(name, () => {
      it('yields items with non-empty string keys and object data', async () => {
        const s = builtinStrategies().get(name)!;
        const items: DiscoveredItem[] = [];
        for await (const it of s.discover(s.paramsSchema.parse(params()), baseCtx()))
          items.push(it);
        if (name !== 'manual' && name !== 'tracker_query') expect(items.length).toBeGreaterThan(0);
        for (const it of items) {
          expect(typeof it.key).toBe('string');
          expect(it.key.length).toBeGreaterThan(0);
          expect(it.data).toBeTypeOf('object');
          expect(Array.isArray(it.data)).toBe(false);
          expect(() => JSON.stringify(it.data)).not.toThrow();
        }
      });

      it('honours an aborted signal: it stops without hanging and yields at most what was ready', async () => {
        const s = builtinStrategies().get(name)!;
        const controller = new AbortController();
        controller.abort(new Error('stop'));
        const items: DiscoveredItem[] = [];
        try {
          for await (const it of s.discover(s.paramsSchema.parse(params()), {
            ...baseCtx(),
            signal: controller.signal,
          }))
            items.push(it);
        } catch {
          // Throwing the abort is as good as returning early.
        }
        expect(items).toEqual([]);
      });

      it('rejects unknown params (strict schema)', () => {
        const s = builtinStrategies().get(name)!;
        expect(s.paramsSchema.safeParse({ ...params(), definitely_not_a_param: 1 }).success).toBe(
          false,
        );
      });
    });
  }
});
