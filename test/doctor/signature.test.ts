import { describe, expect, it } from 'vitest';
import { resumeTime } from '../../electron/engine/doctor/resumeTime.ts';
import { retryAfterMs } from '../../electron/engine/doctor/retryAfter.ts';
import { applyRules } from '../../electron/engine/doctor/rules/index.ts';
import { normalize, signatureOf } from '../../electron/engine/doctor/signature.ts';

describe('error signatures', () => {
  it('are shared by two occurrences that differ only in ids, urls, numbers, paths and times', () => {
    const a = signatureOf({
      name: 'Error',
      message: `failed to fetch https://example.com/a?id=1 for item 3f2a9c1e-0b7d-4c1a-9e3f-2b1c0d9e8f7a at 2024-05-01T10:00:00Z from /tmp/x/1.json (took 1532ms) 'abc'`,
    });
    const b = signatureOf({
      name: 'Error',
      message: `failed to fetch https://other.org/b for item 11111111-2222-4333-8444-555555555555 at 2025-12-31T23:59:59.123Z from /var/data/2.json (took 12ms) 'xyz'`,
    });
    expect(a).toBe(b);
    expect(a).toContain('<url>');
  });

  it('keep distinct errors apart', () => {
    expect(signatureOf({ message: 'read ECONNRESET', code: 'ECONNRESET' })).not.toBe(
      signatureOf({ message: 'connect ETIMEDOUT 1.2.3.4:443', code: 'ETIMEDOUT' }),
    );
  });

  it('never carry a secret', () => {
    const s = normalize(
      'Incorrect API key provided: sk-proj-abcdefghijklmnop1234 (Bearer abcdefghijklmnop)',
    );
    expect(s).not.toContain('abcdefghijklmnop');
  });
});

describe('wait times', () => {
  const now = Date.parse('2025-03-03T12:00:00Z');

  it('honour Retry-After in seconds, as an HTTP date, and in the message', () => {
    expect(retryAfterMs({ message: '', headers: { 'retry-after': '120' } }, '', now)).toBe(120_000);
    expect(
      retryAfterMs(
        { message: '', headers: { 'retry-after': 'Mon, 03 Mar 2025 12:01:00 GMT' } },
        '',
        now,
      ),
    ).toBe(60_000);
    expect(retryAfterMs({ message: '' }, 'Please try again in 210ms.', now)).toBe(210);
    expect(
      retryAfterMs({ message: '', headers: { 'x-ratelimit-reset-requests': '6m0s' } }, '', now),
    ).toBe(360_000);
  });

  it('make a 429 with Retry-After wait exactly that long', () => {
    const hit = applyRules(
      { message: 'HTTP 429', status: 429, headers: { 'retry-after': '30' } },
      now,
    );
    expect(hit).toMatchObject({ class: 'rate_limited', retryAfterMs: 30_000 });
  });

  it('read resume times from temporal messages', () => {
    expect(resumeTime('reopens 2025-03-04T08:00:00Z', now)).toBe(
      Date.parse('2025-03-04T08:00:00Z'),
    );
    // 09:30 in New York on 3 March 2025 (EST, UTC-5) is 14:30 UTC, after noon UTC.
    expect(resumeTime('Market is closed. Trading resumes at 09:30 ET.', now)).toBe(
      Date.parse('2025-03-03T14:30:00Z'),
    );
    expect(resumeTime('closed, come back in 2 hours', now)).toBe(now + 2 * 3600_000);
    expect(resumeTime('closed', now)).toBeUndefined();
  });
});
