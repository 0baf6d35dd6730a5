import { z } from 'zod';
import type { StageContext, StageHandler } from '../handler/types.ts';
import { FailItem } from '../handler/signals.ts';
import type { ExtractedPage } from '../../../workers/tasks/extractHtml.ts';
import type { Transcript } from '../../../workers/tasks/parseSubtitles.ts';
import { getPath } from '../../../workers/tasks/runAuditChecks.ts';
import { fingerprintOf, parseParams } from './builtinParams.ts';
import { internalsOf } from './internals.ts';

export const extractParams = z.strictObject({
  /** Upstream stage whose artifact to read (default: the first upstream output with one). */
  from: z.string().optional(),
  /** `auto` sniffs WEBVTT / SRT timing lines, else treats the body as HTML. */
  format: z.enum(['auto', 'html', 'vtt', 'srt']).default('auto'),
  max_links: z.number().int().min(0).max(10_000).default(500),
  /** Item data field with the media's duration in seconds (subtitles' coverage). */
  duration_field: z.string().default('duration'),
});

/**
 * `builtin/extract`: the upstream artifact (read from the store — never fetched again) →
 * main text, title, author, date and links for HTML, or transcript text and coverage for
 * VTT/SRT. The parsing runs in the worker pool, which reads the file itself.
 */
export const extractHandler: StageHandler = {
  version: 1,
  fingerprint: (params) => fingerprintOf(parseParams('extract', extractParams, params)),
  async run(item, ctx) {
    const p = parseParams('extract', extractParams, ctx.stage.params);
    const found = ctx.artifacts.upstream(p.from)[0];
    if (!found)
      throw new Error(
        `builtin/extract found no upstream artifact${p.from ? ` in stage \`${p.from}\`` : ''}: put a builtin/fetch stage (or a handler returning \`artifact: { sha256 }\`) before it`,
      );
    const { ref, stage } = found;
    const internals = internalsOf(ctx);
    const format = p.format === 'auto' ? await sniff(ctx, ref.sha256, ref.content_type) : p.format;
    const pool = internals.pool();
    const task = { root: internals.store.root, sha256: ref.sha256 };
    const source = { source_stage: stage, source_sha256: ref.sha256 };
    if (format === 'vtt' || format === 'srt') {
      const durationRaw = getPath(item.data, p.duration_field);
      const t = await pool.run<Transcript>(
        'parseSubtitles',
        { ...task, ...(typeof durationRaw === 'number' ? { durationSec: durationRaw } : {}) },
        { signal: ctx.signal },
      );
      if (!t.text) throw new FailItem(`the ${t.format.toUpperCase()} file has no cue text`);
      return {
        kind: 'transcript',
        text: t.text,
        chars: t.text.length,
        format: t.format,
        cues: t.cues,
        duration: t.durationSec,
        covered_seconds: t.coveredSec,
        coverage: t.coverage,
        repeated_lines_removed: t.repeatedLinesRemoved,
        ...source,
      };
    }
    const upstreamUrl = ctx.upstream[stage]?.final_url ?? ctx.upstream[stage]?.url;
    const page = await pool.run<ExtractedPage>(
      'extractHtml',
      {
        ...task,
        maxLinks: p.max_links,
        ...(typeof upstreamUrl === 'string' ? { url: upstreamUrl } : {}),
      },
      { signal: ctx.signal },
    );
    if (!page.text) throw new FailItem('the page has no extractable text');
    return {
      kind: 'article',
      title: page.title,
      author: page.author,
      date: page.date,
      text: page.text,
      excerpt: page.excerpt,
      site_name: page.siteName,
      lang: page.lang,
      links: page.links,
      chars: page.chars,
      words: page.words,
      readable: page.readable,
      inline_images_removed: page.inlineImagesRemoved,
      ...source,
    };
  },
};

async function sniff(
  ctx: StageContext,
  sha256: string,
  contentType?: string,
): Promise<'html' | 'vtt' | 'srt'> {
  if (contentType && /text\/vtt/i.test(contentType)) return 'vtt';
  if (contentType && /subrip|x-srt/i.test(contentType)) return 'srt';
  const head = (await ctx.artifacts.get(sha256))
    .subarray(0, 512)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (/^WEBVTT/.test(head)) return 'vtt';
  if (/^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->/.test(head)) return 'srt';
  return 'html';
}
