import { afterEach, describe, expect, it } from 'vitest';
import { counts, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';
import { startFixtureServer, type FixtureServer } from './helpers/fixtureServer.ts';
import {
  article,
  BASE64_IMG,
  BOT_PAGE,
  EMPTY_PAGE,
  LOGIN_PAGE,
  RATE_LIMIT_PAGE,
  VIEW_COUNT_PAGE,
  VTT,
} from './fixtures/pages.ts';
import { output, stageRow, storedFiles } from './helpers/rows.ts';

let t: TestEngine | undefined;
let web: FixtureServer | undefined;
afterEach(async () => {
  await t?.close();
  await web?.close();
  t = web = undefined;
});

const job = (fetchParams = '{}', attempts = 1) => `jobs:
  - id: web
    stages:
      - { name: fetch, uses: builtin/fetch, retry: { max_attempts: ${attempts}, backoff: 1h }, params: ${fetchParams} }
      - { name: extract, uses: builtin/extract }
`;

describe('builtin/fetch and builtin/extract', () => {
  it('fetches a page, stores it once and extracts its text from the store', async () => {
    web = await startFixtureServer({ '/a': { body: article() } });
    t = await startTestEngine(job());
    t.engine.addItems('web', [{ key: 'a', data: { url: web.url('/a') } }]);
    await t.engine.waitIdle();
    expect(counts(t.db, 'web')).toEqual({ fetch: { done: 1 }, extract: { done: 1 } });
    const f = output(t, 'a', 'fetch');
    expect(f).toMatchObject({ status: 200, possible_duplicate: false });
    expect(f.artifact).toMatchObject({ sha256: f.sha256 });
    const e = output(t, 'a', 'extract');
    expect(e).toMatchObject({ kind: 'article', author: expect.stringContaining('Ada') });
    expect(String(e.text)).toContain('Paragraph 8');
    expect(web.hits('/a')).toBe(1);
    expect(storedFiles(t)).toBe(1);
  });

  it.each([
    ['a “please wait 24 hours” page', RATE_LIMIT_PAGE, 'RateLimitedPage'],
    ['a “view count will reset” page', VIEW_COUNT_PAGE, 'RateLimitedPage'],
    ['a bot check', BOT_PAGE, 'BotCheckPage'],
    ['a login wall', LOGIN_PAGE, 'LoginWallPage'],
    ['an empty body', EMPTY_PAGE, 'EmptyBody'],
  ])('raises a classified error for %s and stores nothing', async (_n, body, name) => {
    web = await startFixtureServer({ '/blocked': { body } });
    t = await startTestEngine(job('{}', 3));
    t.engine.addItems('web', [{ key: 'b', data: { url: web.url('/blocked') } }]);
    await t.engine.waitIdle();
    const row = stageRow(t, 'b', 'fetch');
    expect(row.status).toBe('retry');
    expect(row.error).toContain(name);
    expect(storedFiles(t)).toBe(0);
    expect(stageRow(t, 'b', 'extract').status).toBe('waiting');
  });

  it('waits as long as a rate-limit page asks before trying again', async () => {
    web = await startFixtureServer({ '/slow': { body: RATE_LIMIT_PAGE } });
    t = await startTestEngine(job('{}', 3));
    const before = Date.now();
    t.engine.addItems('web', [{ key: 's', data: { url: web.url('/slow') } }]);
    await t.engine.waitIdle();
    expect(stageRow(t, 's', 'fetch').readyAt).toBeGreaterThanOrEqual(before + 24 * 3_600_000);
  });

  it('flags a body identical to another item’s as a possible duplicate and stores it once', async () => {
    web = await startFixtureServer({ '/one': { body: article() }, '/mirror': { body: article() } });
    t = await startTestEngine(job());
    t.engine.addItems('web', [{ key: 'one', data: { url: web.url('/one') } }]);
    await t.engine.waitIdle();
    t.engine.addItems('web', [{ key: 'mirror', data: { url: web.url('/mirror') } }]);
    await t.engine.waitIdle();
    expect(output(t, 'one', 'fetch').possible_duplicate).toBe(false);
    const m = output(t, 'mirror', 'fetch');
    expect(m.possible_duplicate).toBe(true);
    expect((m.duplicate_of as number[]).length).toBe(1);
    expect(storedFiles(t)).toBe(1);
  });

  it('refuses a page larger than max_bytes as item-specific', async () => {
    web = await startFixtureServer({ '/huge': { body: article('Huge', 'x'.repeat(300_000)) } });
    t = await startTestEngine(job('{ max_bytes: 100KB }'));
    t.engine.addItems('web', [{ key: 'h', data: { url: web.url('/huge') } }]);
    await t.engine.waitIdle();
    expect(stageRow(t, 'h', 'fetch')).toMatchObject({
      status: 'failed',
      errorClass: 'item_specific',
    });
    expect(stageRow(t, 'h', 'fetch').error).toContain('max_bytes');
  });

  it('strips inline base64 images when extracting', async () => {
    web = await startFixtureServer({ '/img': { body: article('Pictures', BASE64_IMG) } });
    t = await startTestEngine(job());
    t.engine.addItems('web', [{ key: 'img', data: { url: web.url('/img') } }]);
    await t.engine.waitIdle();
    const e = output(t, 'img', 'extract');
    expect(e.inline_images_removed).toBe(1);
    expect(String(e.text)).not.toContain('base64');
  });

  it('turns a fetched VTT file into a transcript with coverage', async () => {
    web = await startFixtureServer({
      '/subs.vtt': { body: VTT, headers: { 'content-type': 'text/vtt' } },
    });
    t = await startTestEngine(job());
    t.engine.addItems('web', [{ key: 'v', data: { url: web.url('/subs.vtt'), duration: 40 } }]);
    await t.engine.waitIdle();
    expect(output(t, 'v', 'extract')).toMatchObject({
      kind: 'transcript',
      coverage: 0.25,
      repeated_lines_removed: 2,
    });
  });

  it('revalidates with the previous ETag and keeps the stored body on 304', async () => {
    web = await startFixtureServer({
      '/etag': {
        handle: (req) =>
          req.headers['if-none-match'] === '"v1"'
            ? { status: 304 }
            : { body: article(), headers: { etag: '"v1"' } },
      },
    });
    t = await startTestEngine(job());
    t.engine.addItems('web', [{ key: 'e', data: { url: web.url('/etag') } }]);
    await t.engine.waitIdle();
    const first = output(t, 'e', 'fetch');
    await t.api.reprocess({ jobId: 'web', stage: 'fetch' });
    await t.engine.waitIdle();
    const second = output(t, 'e', 'fetch');
    expect(web.hits('/etag')).toBe(2);
    expect(second).toMatchObject({ not_modified: true, sha256: first.sha256 });
    expect(counts(t.db, 'web')).toEqual({ fetch: { done: 1 }, extract: { done: 1 } });
  });
});
