import { open } from 'node:fs/promises';
import { z } from 'zod';
import type { StageHandler } from '../handler/types.ts';
import { FailItem } from '../handler/signals.ts';
import type { ExtractedPage } from '../../../workers/tasks/extractHtml.ts';
import type { ExtractedText } from '../../../workers/tasks/extractText.ts';
import type { Transcript } from '../../../workers/tasks/parseSubtitles.ts';
import { getPath } from '../../../workers/tasks/runAuditChecks.ts';
import { fingerprintOf, parseParams } from './builtinParams.ts';
import {
  chooseFormat,
  isBinaryType,
  looksLikeHtml,
  mimeOf,
  sniffBinary,
  type ExtractFormat,
  type FormatChoice,
} from './contentKind.ts';
import { internalsOf } from './internals.ts';

export const extractParams = z.strictObject({
  /** Upstream stage whose artifact to read (default: the first upstream output with one). */
  from: z.string().optional(),
  /**
   * `auto` picks by content type and first bytes: HTML, plain text and Markdown (`text`),
   * WEBVTT or SRT subtitles; binaries (PDF, images) fail the item.
   */
  format: z.enum(['auto', 'html', 'text', 'vtt', 'srt']).default('auto'),
  max_links: z.number().int().min(0).max(10_000).default(500),
  /** Item data field with the media's duration in seconds (subtitles' coverage). */
  duration_field: z.string().default('duration'),
});

/** Enough of the body to tell its kind (magic numbers, a doctype, a WEBVTT line). */
const HEAD_BYTES = 8192;
const READS = 'extract reads HTML, plain text, Markdown and VTT/SRT subtitles';

/**
 * `builtin/extract`: the upstream artifact (read from the store — never fetched again) →
 * main text, title, author, date and links for HTML; text, title and excerpt for plain text
 * and Markdown; transcript text and coverage for VTT/SRT. The parsing runs in the worker
 * pool, which reads the file itself. Input it cannot read (a PDF, Markdown under
 * `format: html`, an empty body) fails the item with a message that says what to do.
 */
export const extractHandler: StageHandler = {
  version: 1,
  params: extractParams,
  fingerprint: (params) => fingerprintOf(parseParams('extract', extractParams, params)),
  async run(item, ctx) {
    const p = parseParams('extract', extractParams, ctx.stage.params);
    if (p.from && !ctx.upstream[p.from])
      throw new FailItem(
        `extract: \`from: ${p.from}\` has no output for this item; name a stage extract depends on (stage_deps)`,
      );
    const found = ctx.artifacts.upstream(p.from)[0];
    if (!found)
      throw new FailItem(
        `extract: no stored document upstream for this item${p.from ? ` (\`${p.from}\` returned no \`artifact\`)` : ''}; put a builtin/fetch stage (or a handler returning \`artifact: { sha256 }\`) before extract`,
      );
    const { ref, stage } = found;
    const internals = internalsOf(ctx);
    if (!ctx.artifacts.has(ref.sha256))
      throw new FailItem(
        `extract: the document \`${stage}\` stored (${ref.sha256.slice(0, 12)}…) is no longer in the artifact store (removed by gc?); \`jobctl reprocess ${internals.jobId} ${stage}\` fetches it again`,
      );
    const head = await readHead(ctx.artifacts.pathOf(ref.sha256), HEAD_BYTES);
    if (head.length === 0)
      throw new FailItem(
        `extract: the document \`${stage}\` stored is empty (0 bytes); check what \`${stage}\` fetched`,
      );
    const upstreamOut = ctx.upstream[stage];
    const contentType =
      ref.content_type ??
      (typeof upstreamOut?.content_type === 'string' ? upstreamOut.content_type : undefined);
    const choice =
      p.format === 'auto'
        ? chooseFormat(contentType, head)
        : explicitFormat(p.format, contentType, head);
    if ('unsupported' in choice)
      throw new FailItem(
        choice.binary
          ? `extract: ${choice.unsupported} is not supported; ${READS} — convert it with a handler of your own, or leave such items out`
          : `extract: ${choice.unsupported} is not supported; ${READS} — set \`format: text\` to read it as plain text`,
      );
    const format = choice.format;
    const pool = internals.pool();
    const task = { root: internals.store.root, sha256: ref.sha256 };
    const source = { source_stage: stage, source_sha256: ref.sha256 };
    const upstreamUrl = upstreamOut?.final_url ?? upstreamOut?.url;
    const url = typeof upstreamUrl === 'string' ? { url: upstreamUrl } : {};
    const what = mimeOf(contentType) ?? 'document';

    if (format === 'vtt' || format === 'srt') {
      const durationRaw = getPath(item.data, p.duration_field);
      const t = await pool.run<Transcript>(
        'parseSubtitles',
        { ...task, ...(typeof durationRaw === 'number' ? { durationSec: durationRaw } : {}) },
        { signal: ctx.signal },
      );
      if (t.cues === 0)
        throw new FailItem(
          `extract: no ${format.toUpperCase()} cues (timing lines) in this ${what}; check what \`${stage}\` fetched, or use \`format: auto\``,
        );
      if (!t.text)
        throw new FailItem(
          `extract: the ${t.format.toUpperCase()} file's ${t.cues} cues have no text; check what \`${stage}\` fetched`,
        );
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

    if (format === 'text') {
      const doc = await pool.run<ExtractedText>(
        'extractText',
        {
          ...task,
          ...url,
          maxLinks: p.max_links,
          ...(choice.markdown !== undefined ? { markdown: choice.markdown } : {}),
        },
        { signal: ctx.signal },
      );
      if (!doc.text)
        throw new FailItem(
          `extract: the ${what} has no text (only blank lines); check what \`${stage}\` fetched`,
        );
      return {
        kind: 'text',
        title: doc.title,
        text: doc.text,
        excerpt: doc.excerpt,
        links: doc.links,
        chars: doc.chars,
        words: doc.words,
        markdown: doc.markdown,
        ...source,
      };
    }

    const page = await pool.run<ExtractedPage>(
      'extractHtml',
      { ...task, ...url, maxLinks: p.max_links },
      { signal: ctx.signal },
    );
    if (!page.text)
      throw new FailItem(
        `extract: the page has no extractable text (empty, or built by JavaScript); check what \`${stage}\` fetched`,
      );
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

const LABEL: Record<ExtractFormat, string> = {
  html: 'HTML',
  text: 'text',
  vtt: 'VTT subtitles',
  srt: 'SRT subtitles',
};

/**
 * A format set in jobs.yaml is trusted, except where the body plainly says otherwise: a
 * binary is never text, and a declared non-HTML type (Markdown, plain text that does not
 * open like HTML, JSON) is not HTML.
 */
function explicitFormat(
  format: ExtractFormat,
  contentType: string | undefined,
  head: Buffer,
): FormatChoice {
  const mime = mimeOf(contentType);
  const binary = sniffBinary(head);
  if (binary) {
    const name = isBinaryType(mime) && mime !== 'application/octet-stream' ? mime : binary;
    throw new FailItem(
      `extract: ${name} is not ${LABEL[format]}; ${READS} — convert it with a handler of your own, or leave such items out`,
    );
  }
  if (format === 'html' && mime && mime !== 'text/html' && mime !== 'application/xhtml+xml') {
    const generic = mime === 'application/octet-stream' || mime === 'binary/octet-stream';
    const markdown = mime === 'text/markdown' || mime === 'text/x-markdown';
    if (markdown || (!generic && !looksLikeHtml(head))) {
      const auto = chooseFormat(contentType, head);
      const better = 'format' in auto && auto.format !== 'html' ? auto.format : 'text';
      throw new FailItem(`extract: ${mime} is not HTML; use \`format: ${better}\``);
    }
  }
  return format === 'text' && mimeOf(contentType)?.includes('markdown')
    ? { format, markdown: true }
    : { format };
}

/** The first `max` bytes of a stored file (its kind shows there; the file may be large). */
async function readHead(path: string, max: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
