import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  extractUrls,
  parseDrop,
  parseInternetShortcut,
  parseMozUrl,
  parseUriList,
  parseWebloc,
} from '../../../electron/main/dropPayload.ts';
import { diskReader, handleDrop } from '../../../electron/main/handleDrop.ts';
import { addUrlsVia } from '../../../electron/main/addUrlsAdapter.ts';
import { SCRIPTED, startTestEngine, tempDir } from '../../helpers/testEngine.ts';

const XML_WEBLOC = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>URL</key>
	<string>https://example.org/a?x=1&amp;y=2</string>
</dict>
</plist>`;

/** A binary plist as macOS writes it: header, the "URL" key, the URL as an ASCII string. */
const BINARY_WEBLOC = Buffer.concat([
  Buffer.from('bplist00', 'latin1'),
  Buffer.from([0xd1, 0x01, 0x02, 0x53]),
  Buffer.from('URL', 'latin1'),
  Buffer.from([0x5f, 0x10, 0x1a]),
  Buffer.from('https://example.com/binary', 'latin1'),
  Buffer.from([0x08, 0x0b, 0x0f, 0x00, 0x00]),
]);

const WINDOWS_URL =
  '[{000214A0-0000-0000-C000-000000000046}]\r\nProp3=19,11\r\n[InternetShortcut]\r\nIDList=\r\nURL=https://example.net/page\r\n';

describe('drop payload parsing', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  function files(entries: Record<string, string | Buffer>): string[] {
    const { dir, cleanup } = tempDir('tributary-drop-');
    cleanups.push(cleanup);
    return Object.entries(entries).map(([name, content]) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    });
  }

  it('reads text/uri-list and ignores its comment lines', () => {
    expect(
      parseUriList('# dragged from Chrome\r\nhttps://a.example/1\r\nhttps://b.example/2\r\n'),
    ).toEqual(['https://a.example/1', 'https://b.example/2']);
  });

  it('reads text/x-moz-url as alternating URL and title lines', () => {
    expect(parseMozUrl('https://a.example/\nPage A\nhttps://b.example/\nPage B')).toEqual([
      'https://a.example/',
      'https://b.example/',
    ]);
  });

  it('finds URLs inside prose without the sentence punctuation around them', () => {
    expect(extractUrls('See https://x.org/a. And (http://y.org/b?q=1), ok')).toEqual([
      'https://x.org/a',
      'http://y.org/b?q=1',
    ]);
  });

  it('reads the URL of a Windows .url InternetShortcut file', () => {
    expect(parseInternetShortcut(WINDOWS_URL)).toBe('https://example.net/page');
    expect(parseInternetShortcut('[Other]\nURL=https://no.example/')).toBeUndefined();
  });

  it('reads the URL of XML and binary .webloc files', () => {
    expect(parseWebloc(Buffer.from(XML_WEBLOC))).toBe('https://example.org/a?x=1&y=2');
    expect(parseWebloc(BINARY_WEBLOC)).toBe('https://example.com/binary');
  });

  it('takes a browser tab drag once although it arrives in three formats', async () => {
    const parsed = await parseDrop(
      {
        uriList: 'https://tab.example/article',
        mozUrl: 'https://tab.example/article\nThe article',
        text: 'https://tab.example/article',
      },
      diskReader,
    );
    expect(parsed).toEqual({ urls: ['https://tab.example/article'], refused: [] });
  });

  it('reads .url and .webloc files, refuses other files and non-http links with reasons', async () => {
    const [url, webloc, pdf] = files({
      'page.url': WINDOWS_URL,
      'page.webloc': XML_WEBLOC,
      'paper.pdf': '%PDF-1.4',
    });
    const parsed = await parseDrop(
      { text: 'mail me: mailto:x@y.z or see https://ok.example/', files: [url!, webloc!, pdf!] },
      diskReader,
    );
    expect(parsed.urls).toEqual([
      'https://ok.example/',
      'https://example.net/page',
      'https://example.org/a?x=1&y=2',
    ]);
    expect(parsed.refused).toEqual([
      { input: 'paper.pdf', reason: 'not a link: drop links, text, .url or .webloc files' },
    ]);
  });

  it('treats file:// entries of a uri-list as dropped files', async () => {
    const [webloc] = files({ 'x.webloc': BINARY_WEBLOC });
    const parsed = await parseDrop(
      { uriList: `${pathToFileURL(webloc!).href}\njavascript:alert(1)` },
      diskReader,
    );
    expect(parsed.urls).toEqual(['https://example.com/binary']);
    expect(parsed.refused).toEqual([
      { input: 'javascript:alert(1)', reason: 'only http(s) links are accepted, not javascript:' },
    ]);
  });

  it('refuses text without links, oversized and unreadable link files', async () => {
    const { dir, cleanup } = tempDir('tributary-drop-');
    cleanups.push(cleanup);
    const big = join(dir, 'big.url');
    writeFileSync(big, `[InternetShortcut]\nURL=https://x.example/\n${'x'.repeat(70_000)}`);
    const dirNamedUrl = join(dir, 'folder.url');
    mkdirSync(dirNamedUrl);
    const parsed = await parseDrop({ text: 'just words', files: [big, dirNamedUrl] }, diskReader);
    expect(parsed.urls).toEqual([]);
    expect(parsed.refused.map((r) => r.input)).toEqual(['big.url', 'folder.url']);
    expect(parsed.refused[0]!.reason).toMatch(/too large/);
    expect(parsed.refused[1]!.reason).toMatch(/could not read/);
    expect((await parseDrop({ text: 'just words' }, diskReader)).refused).toEqual([
      { input: 'just words', reason: 'no http(s) link in the text' },
    ]);
  });
});

describe('handleDrop', () => {
  it('sends the URLs through the add-URL route and lists what went to which job and what was refused', async () => {
    const seen: string[][] = [];
    const report = await handleDrop(
      {
        text: 'https://a.example/1 https://b.example/2 https://c.example/3 and ftp://old.example/',
      },
      {
        addUrls: async (urls) => {
          seen.push(urls);
          return {
            added: [
              { url: urls[0]!, jobId: 'articles' },
              { url: urls[1]!, jobId: 'videos' },
            ],
            refused: [{ url: urls[2]!, reason: 'no route matches c.example' }],
          };
        },
      },
    );
    expect(seen).toEqual([['https://a.example/1', 'https://b.example/2', 'https://c.example/3']]);
    expect(report.toast).toEqual({
      level: 'warning',
      title: 'Added 2 URLs',
      lines: [
        '1 → articles',
        '1 → videos',
        'refused https://c.example/3: no route matches c.example',
      ],
    });
  });

  it('refuses every URL with the reason when the add-URL route fails', async () => {
    const report = await handleDrop(
      { uriList: 'https://a.example/' },
      {
        addUrls: async () => {
          throw new Error('no routes configured');
        },
      },
    );
    expect(report.added).toEqual([]);
    expect(report.refused).toEqual([
      { input: 'https://a.example/', reason: 'no routes configured' },
    ]);
    expect(report.toast.title).toBe('Nothing added');
  });

  it('adds through the engine’s addUrls: which job took each URL, what it already had, what it refused', async () => {
    const t = await startTestEngine(`routes:
  rules:
    - { host: youtube.com, path: "^/watch", job: videos }
    - { host: example.org, job: articles }
jobs:
  - id: videos
    handler: ${SCRIPTED}
    stages:
      - name: fetch
  - id: articles
    handler: ${SCRIPTED}
    stages:
      - name: fetch
`);
    try {
      const addUrls = addUrlsVia(t.api);
      await addUrls(['https://example.org/old']);
      const report = await handleDrop(
        {
          uriList: [
            'https://www.youtube.com/watch?v=abc&utm_source=share',
            'https://example.org/new',
            'https://example.org/old',
            'https://elsewhere.example/x',
            `https://example.org/${'a'.repeat(9000)}`,
          ].join('\r\n'),
        },
        { addUrls },
      );
      expect(report.added).toEqual([
        { url: 'https://www.youtube.com/watch?v=abc&utm_source=share', jobId: 'videos' },
        { url: 'https://example.org/new', jobId: 'articles' },
        { url: 'https://example.org/old', jobId: 'articles', duplicate: true },
      ]);
      expect(report.toast).toMatchObject({
        level: 'warning',
        title: 'Added 2 URLs',
        lines: [
          '1 → videos',
          '2 → articles (1 already there)',
          `refused https://example.org/${'a'.repeat(79)}…: longer than 8192 characters`,
          expect.stringMatching(/^refused https:\/\/elsewhere\.example\/x: ./),
        ],
      });
      await t.engine.waitIdle();
      const n = (job: string) =>
        (
          t.db.prepare(`SELECT count(*) AS n FROM items WHERE job_id = ?`).get(job) as {
            n: number;
          }
        ).n;
      expect([n('videos'), n('articles')]).toEqual([1, 2]);
    } finally {
      await t.close();
    }
  });

  it('sends a very large drop in slices the contract accepts', async () => {
    const calls: number[] = [];
    const addUrls = addUrlsVia({
      addUrls: async ({ urls }) => {
        calls.push(urls.length);
        return { results: urls.map((url) => ({ url, jobId: 'inbox', added: true })) };
      },
    });
    const urls = Array.from({ length: 2500 }, (_, i) => `https://example.org/${i}`);
    const res = await addUrls(urls);
    expect(calls).toEqual([1000, 1000, 500]);
    expect(res.added).toHaveLength(2500);
    expect(res.refused).toEqual([]);
  });
});
