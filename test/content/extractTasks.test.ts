import { describe, expect, it } from 'vitest';
import { detectBlockPage, roughVisibleText } from '../../workers/tasks/detectBlockPage.ts';
import { extractHtml } from '../../workers/tasks/extractHtml.ts';
import { parseSubtitles } from '../../workers/tasks/parseSubtitles.ts';
import { runAuditChecks } from '../../workers/tasks/runAuditChecks.ts';
import {
  article,
  BASE64_IMG,
  BOT_PAGE,
  EMPTY_PAGE,
  LOGIN_PAGE,
  RATE_LIMIT_PAGE,
  SRT,
  VIEW_COUNT_PAGE,
  VTT,
} from './fixtures/pages.ts';

describe('HTML extraction', () => {
  it('finds the main text, title, author, date and absolute links', () => {
    const page = extractHtml(article(), { url: 'https://river.news/a/1' });
    expect(page.title).toMatch(/^How rivers carve valleys/);
    expect(page.author).toContain('Ada Lovelace');
    expect(page.date).toBe('2024-05-01T10:00:00Z');
    expect(page.text).toContain('Paragraph 8 of the article');
    expect(page.text).not.toContain('© River News');
    expect(page.links.map((l) => l.href)).toContain('https://river.news/more/sediment');
    expect(page.readable).toBe(true);
  });

  it('strips inline base64 images before parsing', () => {
    const html = article('Pictures', BASE64_IMG);
    expect(html.length).toBeGreaterThan(150_000);
    const page = extractHtml(html);
    expect(page.inlineImagesRemoved).toBe(1);
    expect(page.text).not.toMatch(/base64|iVBOR/);
  });
});

describe('subtitles', () => {
  it('drops the lines rolling captions repeat and measures coverage', () => {
    const t = parseSubtitles(VTT, 40);
    expect(t.text.split('\n')).toEqual([
      'hello and welcome to the channel',
      'today we talk about rivers',
      'and the valleys they carve',
      'the end',
    ]);
    expect(t.repeatedLinesRemoved).toBe(2);
    expect(t.coveredSec).toBe(10);
    expect(t.coverage).toBe(0.25);
  });

  it('reads SRT with comma decimals', () => {
    const t = parseSubtitles(SRT);
    expect(t.format).toBe('srt');
    expect(t.text).toBe('First line\nSecond line');
    expect(t.coverage).toBe(0.8);
  });
});

describe('block pages', () => {
  it.each([
    ['a “please wait 24 hours” notice', RATE_LIMIT_PAGE, 'rate_limited'],
    ['a view-count notice', VIEW_COUNT_PAGE, 'rate_limited'],
    ['a bot check', BOT_PAGE, 'bot_check'],
    ['a login wall', LOGIN_PAGE, 'login_wall'],
    ['an empty body', EMPTY_PAGE, 'empty'],
  ])('recognises %s', (_name, html, kind) => {
    expect(detectBlockPage(roughVisibleText(html))?.kind).toBe(kind);
  });

  it('reads how long a rate-limit notice asks to wait', () => {
    expect(detectBlockPage(roughVisibleText(RATE_LIMIT_PAGE))?.retryAfterMs).toBe(24 * 3_600_000);
  });

  it('does not mistake a long article that mentions logging in for a wall', () => {
    const long = article(
      'Sign in',
      `${'<p>More reporting on the valley floods.</p>'.repeat(20)}<p>Please log in to comment.</p>`,
    );
    expect(detectBlockPage(roughVisibleText(long))).toBeUndefined();
  });
});

describe('audit checks', () => {
  const doc = { text: 'word '.repeat(200), duration: 60, coverage: 0.5, title: 'T', author: '' };
  const run = (check: Record<string, unknown> & { check: string }) =>
    runAuditChecks({ checks: [check], doc, textField: 'text', durationField: 'duration' })[0];

  it('measures characters per minute of media', () => {
    expect(run({ check: 'min_chars_per_minute', min: 500 })).toMatchObject({
      passed: true,
      value: 1000,
    });
    expect(run({ check: 'min_chars_per_minute', min: 2000 })?.passed).toBe(false);
  });

  it('flags repeated blocks, low coverage, missing fields and durations out of range', () => {
    const rep = runAuditChecks({
      checks: [{ check: 'no_repeated_blocks', max_ratio: 0.1 }],
      doc: {
        text: Array(5).fill('This exact sentence is repeated over and over again here.').join('\n'),
      },
      textField: 'text',
      durationField: 'duration',
    })[0];
    expect(rep?.passed).toBe(false);
    expect(run({ check: 'transcript_coverage', min: 0.8 })?.reason).toContain('50%');
    expect(run({ check: 'required_fields', fields: ['title', 'author'] })?.reason).toBe(
      'missing or empty: author',
    );
    expect(run({ check: 'duration_range', min: 120 })?.passed).toBe(false);
    expect(run({ check: 'not_block_page' })?.passed).toBe(true);
  });
});
