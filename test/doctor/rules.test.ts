import { describe, expect, it } from 'vitest';
import { applyRules } from '../../electron/engine/doctor/rules/index.ts';
import type { ErrorRecord } from '../../electron/engine/doctor/types.ts';

/**
 * The causes the issue measured as misjudged, one record each (real wording), and what the
 * weighed evidence must make of them. The corpora (corpus.test.ts) measure how far this
 * generalises; this table guards the named cases and the evidence the verdict shows.
 */
const CASES: [string, Partial<ErrorRecord> & { message: string }, string, RegExp?][] = [
  [
    'a 400 whose body says the key is invalid',
    {
      status: 400,
      message: 'Request failed with status code 400',
      body: '{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}',
    },
    'systemic',
    /API key not valid/,
  ],
  [
    'a 400 invalid_grant',
    {
      status: 400,
      message: '400 Bad Request',
      body: '{"error":"invalid_grant","error_description":"Bad Request"}',
    },
    'systemic',
  ],
  [
    'a 400 out of credits',
    {
      status: 400,
      message: 'HTTP 400',
      body: '{"error":"Not enough credits to run this request"}',
    },
    'systemic',
  ],
  [
    'a 403 whose body says rate limit',
    {
      status: 403,
      message: 'HTTP 403',
      body: '{"message":"API rate limit exceeded for 203.0.113.7."}',
    },
    'rate_limited',
  ],
  [
    'a 403 service disabled',
    {
      status: 403,
      message: 'HTTP 403',
      body: 'YouTube Data API v3 has not been used in project 1234 before or it is disabled. Enable it by visiting the console.',
    },
    'systemic',
  ],
  [
    'a 403 automated-tool block',
    {
      status: 403,
      message: 'HTTP 403',
      body: "We're sorry... but your computer or network may be sending automated queries.",
    },
    'systemic',
  ],
  [
    'a 503 SlowDown',
    { status: 503, name: 'SlowDown', message: 'Please reduce your request rate.' },
    'rate_limited',
  ],
  [
    'a 503 under maintenance',
    {
      status: 503,
      message: 'Service Unavailable',
      body: '<h1>We are in maintenance until 23:45 ET</h1>',
    },
    'temporal',
  ],
  ['a 420', { status: 420, message: 'HTTP 420 Enhance Your Calm' }, 'rate_limited'],
  [
    'an exchange holiday',
    { message: 'The exchange is closed for the Thanksgiving holiday' },
    'temporal',
  ],
  ['not yet published', { message: 'Episode 42 is not yet published' }, 'temporal'],
  [
    'outside the allowed window',
    { message: 'Request rejected: outside the allowed submission window' },
    'temporal',
  ],
  [
    'a premiere',
    {
      message: 'yt-dlp exited with code 1',
      stderr: 'ERROR: [youtube] aB3dE5fG7hI: Premieres in 3 hours',
    },
    'temporal',
  ],
  [
    'a Python TypeError',
    {
      message: 'command exited with code 1',
      stderr:
        'Traceback (most recent call last):\n  File "score.py", line 12, in <module>\n    total = row["n"] + 1\nTypeError: can only concatenate str (not "int") to str',
    },
    'code_bug',
  ],
  [
    'a Python ModuleNotFoundError',
    {
      message: 'command exited with code 1',
      stderr:
        'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nModuleNotFoundError: No module named \'pandas\'',
    },
    'code_bug',
  ],
  [
    'a refused local service',
    {
      name: 'TypeError',
      message: 'fetch failed',
      causeCode: 'ECONNREFUSED',
      causeMessage: 'connect ECONNREFUSED 127.0.0.1:11434',
    },
    'systemic',
  ],
  [
    'a service not running',
    {
      message:
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    },
    'systemic',
  ],
  [
    "Missing secret 'x'",
    { message: "Missing secret 'openai': set TRIBUTARY_SECRET_OPENAI" },
    'systemic',
  ],
  [
    'an expired certificate',
    { message: 'certificate has expired', code: 'CERT_HAS_EXPIRED' },
    'systemic',
  ],
  [
    'an invalid response schema',
    {
      status: 400,
      name: 'BadRequestError',
      message:
        "400 Invalid schema for response_format 'answer': In context=(), 'additionalProperties' is required to be supplied and to be false.",
    },
    'code_bug',
  ],
  [
    'an unsupported parameter',
    {
      status: 400,
      name: 'BadRequestError',
      message:
        "400 Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    },
    'code_bug',
  ],
  [
    'a SQLite constraint',
    {
      name: 'SqliteError',
      code: 'SQLITE_CONSTRAINT_UNIQUE',
      message: 'UNIQUE constraint failed: results.item_id',
    },
    'code_bug',
  ],
  [
    'the yt-dlp age gate',
    {
      message: 'yt-dlp exited with code 1',
      stderr:
        'ERROR: [youtube] xYz: Sign in to confirm your age. This video may be inappropriate for some users. Use --cookies-from-browser or --cookies for the authentication.',
    },
    'item_specific',
  ],
  [
    'the yt-dlp bot check',
    {
      message: 'yt-dlp exited with code 1',
      stderr:
        "ERROR: [youtube] xYz: Sign in to confirm you're not a bot. Use --cookies-from-browser or --cookies for the authentication.",
    },
    'systemic',
  ],
  [
    'no videos tab',
    {
      message: 'yt-dlp exited with code 1',
      stderr: 'ERROR: [youtube:tab] UCabc: This channel does not have a videos tab',
    },
    'item_specific',
  ],
  [
    'recording not available',
    {
      message: 'yt-dlp exited with code 1',
      stderr: 'ERROR: [youtube] abc: This live stream recording is not available.',
    },
    'item_specific',
  ],
  [
    'a missing ffmpeg library',
    {
      message: 'ffmpeg exited with code 127',
      stderr:
        'ffmpeg: error while loading shared libraries: libavdevice.so.59: cannot open shared object file: No such file or directory',
    },
    'systemic',
  ],
  [
    'DNS failure',
    { message: 'getaddrinfo ENOTFOUND api.example.com', code: 'ENOTFOUND' },
    'transient',
  ],
  [
    'insufficient_quota',
    {
      status: 429,
      name: 'RateLimitError',
      apiCode: 'insufficient_quota',
      message: '429 You exceeded your current quota, please check your plan and billing details.',
    },
    'systemic',
  ],
  [
    'a plain 429',
    { status: 429, name: 'RateLimitError', message: '429 Rate limit reached for requests' },
    'rate_limited',
  ],
];

describe('weighed evidence', () => {
  it.each(CASES)('%s', (_label, record, expected, evidence) => {
    const hit = applyRules(record as ErrorRecord, Date.parse('2026-11-30T15:00:00Z'));
    expect(hit?.class).toBe(expected);
    if (evidence) expect(hit?.evidence).toMatch(evidence);
  });

  it('tags what the engine acts on: network, block pages, billing; scopes a premiere to its item', () => {
    expect(
      applyRules({ message: 'getaddrinfo EAI_AGAIN example.org', code: 'EAI_AGAIN' })?.tag,
    ).toBe('network');
    expect(
      applyRules({ message: 'HTTP 403', status: 403, body: '<title>Just a moment...</title>' })
        ?.tag,
    ).toBe('block');
    expect(applyRules({ message: 'x', apiCode: 'insufficient_quota' })?.tag).toBe('billing');
    const premiere = applyRules(
      { message: 'ERROR: [youtube] a1b2c3d4e5f: Premieres in 45 minutes' },
      0,
    );
    expect(premiere).toMatchObject({ class: 'temporal', scope: 'item', resumeAt: 45 * 60_000 });
  });

  it('says what decided and what it outweighed', () => {
    const hit = applyRules({
      status: 403,
      message: 'HTTP 403',
      body: 'API rate limit exceeded for 1.2.3.4',
    });
    expect(hit?.rule).toBe('phrase.rate-limit');
    expect(hit?.evidence).toMatch(/“rate limit exceeded” .*over http\.403 \(systemic\)/);
  });

  it('reads a Retry-After for a rate limit and the stated time for a closed source', () => {
    const now = Date.parse('2026-11-30T15:00:00Z');
    expect(
      applyRules(
        { status: 429, message: 'Too Many Requests', headers: { 'retry-after': '20' } },
        now,
      )?.retryAfterMs,
    ).toBe(20_000);
    expect(
      applyRules({ message: 'Market is closed. Trading resumes at 09:30 ET.' }, now)?.resumeAt,
    ).toBe(Date.parse('2026-12-01T14:30:00Z'));
  });
});
