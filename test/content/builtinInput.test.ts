import { afterEach, describe, expect, it } from 'vitest';
import { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import { counts, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';
import { startFixtureServer, type FixtureServer } from './helpers/fixtureServer.ts';
import { output, stageRow } from './helpers/rows.ts';

/**
 * Built-in stages fed input they cannot read fail that item as item_specific, with a message
 * that starts with the stage kind and says what to do — through a real doctor, so a TypeError
 * would show up as a code bug that pauses the job.
 */
let t: TestEngine | undefined;
let web: FixtureServer | undefined;
afterEach(async () => {
  await t?.close();
  await web?.close();
  t = web = undefined;
});

const MARKDOWN = `---
layout: post
---
# Rivers and valleys

Rivers carve **valleys** over thousands of years, moving [sediment](/sediment) downstream.

- Farmers depend on it.
- Engineers study it.
`;
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'),
  Buffer.alloc(64, 0),
]);

async function start(extractParams = '{}', fetchParams = '{}'): Promise<TestEngine> {
  const doctor = new Doctor();
  const te = await startTestEngine(
    `jobs:
  - id: docs
    stages:
      - { name: fetch, uses: builtin/fetch, retry: { max_attempts: 1 }, params: ${fetchParams} }
      - { name: extract, uses: builtin/extract, retry: { max_attempts: 1 }, params: ${extractParams} }
`,
    { classifier: doctor },
  );
  doctor.attach({ db: te.db, bus: te.engine.bus, config: te.engine.config });
  return te;
}

async function paused(te: TestEngine): Promise<boolean> {
  return (await te.api.job({ jobId: 'docs' })).paused;
}

describe('builtin/extract on documents that are not HTML', () => {
  it('reads a Markdown file under format: auto as text, with its title, words and excerpt', async () => {
    web = await startFixtureServer({
      '/notes.md': { body: MARKDOWN, headers: { 'content-type': 'text/markdown; charset=utf-8' } },
    });
    t = await start();
    t.engine.addItems('docs', [{ key: 'md', data: { url: web.url('/notes.md') } }]);
    await t.engine.waitIdle();
    expect(counts(t.db, 'docs')).toEqual({ fetch: { done: 1 }, extract: { done: 1 } });
    const e = output(t, 'md', 'extract');
    expect(e).toMatchObject({
      kind: 'text',
      title: 'Rivers and valleys',
      markdown: true,
      excerpt: expect.stringMatching(/^Rivers carve valleys over thousands of years/),
    });
    expect(e.text).toContain('Farmers depend on it.');
    expect(e.text).not.toMatch(/\*\*|\]\(|layout:/);
    expect(e.words).toBeGreaterThan(15);
    expect(e.links).toEqual([{ href: web.url('/sediment'), text: 'sediment' }]);
  });

  it('reads a plain-text file with no declared type as text, titled by its first line', async () => {
    web = await startFixtureServer({
      '/readme': {
        body: 'Flood report, May 2024\nThe river rose two metres overnight.\n',
        headers: { 'content-type': '' },
      },
    });
    t = await start();
    t.engine.addItems('docs', [{ key: 'txt', data: { url: web.url('/readme') } }]);
    await t.engine.waitIdle();
    expect(output(t, 'txt', 'extract')).toMatchObject({
      kind: 'text',
      title: 'Flood report, May 2024',
      excerpt: 'The river rose two metres overnight.',
    });
  });

  it('fails Markdown under format: html as item_specific, saying to use format: text, and the job runs on', async () => {
    web = await startFixtureServer({
      '/notes.md': { body: MARKDOWN, headers: { 'content-type': 'text/markdown' } },
      '/page': {
        body: '<html><body><article><p>A real page with text.</p></article></body></html>',
      },
    });
    t = await start('{ format: html }');
    t.engine.addItems('docs', [
      { key: 'md', data: { url: web.url('/notes.md') } },
      { key: 'page', data: { url: web.url('/page') } },
    ]);
    await t.engine.waitIdle();
    const r = stageRow(t, 'md', 'extract');
    expect(r).toMatchObject({ status: 'failed', errorClass: 'item_specific' });
    expect(r.error).toContain('extract: text/markdown is not HTML; use `format: text`');
    expect(stageRow(t, 'page', 'extract').status).toBe('done');
    expect(await paused(t)).toBe(false);
  });

  it('fails a PDF under format: auto as item_specific, naming its type', async () => {
    web = await startFixtureServer({
      '/paper.pdf': { body: PDF, headers: { 'content-type': 'application/pdf' } },
    });
    t = await start();
    t.engine.addItems('docs', [{ key: 'pdf', data: { url: web.url('/paper.pdf') } }]);
    await t.engine.waitIdle();
    const r = stageRow(t, 'pdf', 'extract');
    expect(r).toMatchObject({ status: 'failed', errorClass: 'item_specific' });
    expect(r.error).toMatch(/extract: application\/pdf is not supported; extract reads HTML/);
    expect(await paused(t)).toBe(false);
  });

  it('fails a PDF served as text/html under format: html by its bytes, not its label', async () => {
    web = await startFixtureServer({ '/mislabelled': { body: PDF } });
    t = await start('{ format: html }');
    t.engine.addItems('docs', [{ key: 'pdf', data: { url: web.url('/mislabelled') } }]);
    await t.engine.waitIdle();
    const r = stageRow(t, 'pdf', 'extract');
    expect(r).toMatchObject({ status: 'failed', errorClass: 'item_specific' });
    expect(r.error).toContain('extract: application/pdf is not HTML; extract reads HTML');
  });

  it('fails an empty body as item_specific (when fetch lets it through)', async () => {
    web = await startFixtureServer({ '/empty': { body: '' } });
    t = await start('{}', '{ detect_blocks: false }');
    t.engine.addItems('docs', [{ key: 'empty', data: { url: web.url('/empty') } }]);
    await t.engine.waitIdle();
    const r = stageRow(t, 'empty', 'extract');
    expect(r).toMatchObject({ status: 'failed', errorClass: 'item_specific' });
    expect(r.error).toContain('extract: the document `fetch` stored is empty (0 bytes)');
  });

  it('fails a page of blank lines and a subtitle file without cues as item_specific', async () => {
    web = await startFixtureServer({
      '/blank.txt': { body: '\n\n   \n', headers: { 'content-type': 'text/plain' } },
      '/subs.vtt': { body: 'not subtitles at all', headers: { 'content-type': 'text/plain' } },
    });
    t = await start('{}', '{ detect_blocks: false }');
    t.engine.addItems('docs', [{ key: 'blank', data: { url: web.url('/blank.txt') } }]);
    await t.engine.waitIdle();
    expect(stageRow(t, 'blank', 'extract')).toMatchObject({
      status: 'failed',
      errorClass: 'item_specific',
      error: expect.stringContaining('extract: the text/plain has no text'),
    });
    await t.close();
    t = await start('{ format: vtt }');
    t.engine.addItems('docs', [{ key: 'vtt', data: { url: web.url('/subs.vtt') } }]);
    await t.engine.waitIdle();
    expect(stageRow(t, 'vtt', 'extract')).toMatchObject({
      status: 'failed',
      errorClass: 'item_specific',
      error: expect.stringContaining('extract: no VTT cues (timing lines) in this text/plain'),
    });
  });
});

describe('builtin/fetch on items without a usable URL', () => {
  it.each([
    [
      'a missing URL field',
      { title: 'no url' },
      'fetch: this item has no URL (data.url is missing',
    ],
    ['a URL that is a number', { url: 42 }, 'fetch: data.url is a number, not a URL'],
    ['a relative URL', { url: '/just/a/path' }, 'fetch: data.url is not an absolute URL'],
    ['an ftp URL', { url: 'ftp://example.org/file' }, 'fetch: only http(s) URLs can be fetched'],
  ])('fails %s as item_specific with a message that says what to do', async (_n, data, msg) => {
    t = await start();
    t.engine.addItems('docs', [{ key: 'item', data }]);
    await t.engine.waitIdle();
    const r = stageRow(t, 'item', 'fetch');
    expect(r).toMatchObject({ status: 'failed', errorClass: 'item_specific' });
    expect(r.error).toContain(msg);
    expect(await paused(t)).toBe(false);
  });

  it('fails a 404 as item_specific with the stage kind in front', async () => {
    web = await startFixtureServer({});
    t = await start();
    t.engine.addItems('docs', [{ key: 'gone', data: { url: web.url('/gone') } }]);
    await t.engine.waitIdle();
    expect(stageRow(t, 'gone', 'fetch')).toMatchObject({
      status: 'failed',
      errorClass: 'item_specific',
      error: expect.stringContaining('BadPage: fetch: HTTP 404'),
    });
  });
});

describe('builtin/llm on items without a document', () => {
  const llmJob = (params: string) => `llm:
  providers:
    local: { base_url: "http://127.0.0.1:9/v1", models: [m], prices: { '*': { input: 0, output: 0 } } }
jobs:
  - id: docs
    stages:
      - { name: make, uses: builtin/audit, params: { checks: [{ check: required_fields, fields: [] }] } }
      - { name: summarize, uses: builtin/llm, retry: { max_attempts: 1 }, params: ${params} }
`;

  it('fails an empty rendered document and a missing upstream text as item_specific, before any call', async () => {
    const doctor = new Doctor();
    t = await startTestEngine(llmJob('{ prompt: "Summarize", document: "{{ data.text }}" }'), {
      classifier: doctor,
    });
    doctor.attach({ db: t.db, bus: t.engine.bus, config: t.engine.config });
    t.engine.addItems('docs', [{ key: 'blank', data: { text: '   ' } }]);
    await t.engine.waitIdle();
    expect(stageRow(t, 'blank', 'summarize')).toMatchObject({
      status: 'failed',
      errorClass: 'item_specific',
      error: expect.stringContaining('llm: the document is empty for this item'),
    });
    await t.close();
    t = await startTestEngine(llmJob('{ prompt: "Summarize" }'), { classifier: new Doctor() });
    t.engine.addItems('docs', [{ key: 'none', data: {} }]);
    await t.engine.waitIdle();
    expect(stageRow(t, 'none', 'summarize')).toMatchObject({
      status: 'failed',
      errorClass: 'item_specific',
      error: expect.stringContaining('llm: no document for this item: no upstream stage (make)'),
    });
    expect(await paused(t)).toBe(false);
  });

  it('refuses a generate stage without a prompt when jobs.yaml loads', async () => {
    await expect(startTestEngine(llmJob('{ document: "{{ data.text }}" }'))).rejects.toThrow(
      /jobs\[0\]\.stages\[1\]\.params\.prompt: required in generate mode/,
    );
  });
});
