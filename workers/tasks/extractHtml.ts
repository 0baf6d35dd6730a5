import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { stripDataUris } from './stripDataUris.ts';

export interface ExtractedPage {
  title: string | null;
  author: string | null;
  date: string | null;
  text: string;
  excerpt: string | null;
  siteName: string | null;
  lang: string | null;
  links: { href: string; text: string }[];
  chars: number;
  words: number;
  inlineImagesRemoved: number;
  /** false when readability found no article and the whole body's text was used. */
  readable: boolean;
}

export interface ExtractOptions {
  url?: string;
  maxLinks?: number;
}

/**
 * HTML → main text, title, author, date and links, with Mozilla's Readability (the Firefox
 * reader view) over linkedom, a DOM that is ~10× lighter than jsdom. CPU-bound: it runs in
 * the worker pool.
 */
export function extractHtml(rawHtml: string, options: ExtractOptions = {}): ExtractedPage {
  const { html, removed } = stripDataUris(rawHtml);
  const { document } = parseHTML(asDocument(html));
  const meta = (sel: string): string | null => {
    const v = document.querySelector(sel)?.getAttribute('content');
    return v ? v.trim() : null;
  };
  const links = collectLinks(document, options.url, options.maxLinks ?? 500);
  const lang = document.documentElement?.getAttribute('lang') ?? null;
  const metaDate =
    meta('meta[property="article:published_time"]') ??
    meta('meta[name="date"]') ??
    meta('meta[itemprop="datePublished"]') ??
    document.querySelector('time[datetime]')?.getAttribute('datetime') ??
    null;
  const metaAuthor = meta('meta[name="author"]') ?? meta('meta[property="article:author"]');
  // Readability mutates the document, so links and meta are read first.
  let article: ReturnType<Readability['parse']>;
  try {
    article = new Readability(document as unknown as Document, { charThreshold: 100 }).parse();
  } catch {
    // Readability gives up on some malformed DOMs; the body text below is still useful.
    article = null;
  }
  const bodyText = normaliseText(document.body?.textContent ?? '');
  const text = article?.textContent ? normaliseText(article.textContent) : bodyText;
  const title =
    article?.title?.trim() || document.querySelector('title')?.textContent?.trim() || null;
  return {
    title,
    author: article?.byline?.trim() || metaAuthor || null,
    date: article?.publishedTime?.trim() || metaDate,
    text,
    excerpt: article?.excerpt?.trim() || null,
    siteName: article?.siteName?.trim() || meta('meta[property="og:site_name"]'),
    lang,
    links,
    chars: text.length,
    words: text.length === 0 ? 0 : text.split(/\s+/).length,
    inlineImagesRemoved: removed,
    readable: Boolean(article?.textContent),
  };
}

/**
 * linkedom builds no <html>/<body> around a fragment (`<p>…</p>`, or text with no tag at all):
 * `document.body` is then missing and reading it throws a TypeError. Wrap such input.
 */
function asDocument(html: string): string {
  if (/<html[\s>]/i.test(html)) return html;
  const inner = html.replace(/^\s*<!doctype[^>]*>/i, '');
  return `<!doctype html><html>${/<body[\s>]/i.test(inner) ? inner : `<head></head><body>${inner}</body>`}</html>`;
}

function collectLinks(
  document: { querySelectorAll(sel: string): Iterable<unknown> },
  base: string | undefined,
  max: number,
): { href: string; text: string }[] {
  const out: { href: string; text: string }[] = [];
  const seen = new Set<string>();
  for (const node of document.querySelectorAll('a[href]')) {
    const a = node as { getAttribute(n: string): string | null; textContent: string | null };
    const raw = a.getAttribute('href');
    if (!raw || raw.startsWith('#') || /^(javascript|mailto|data):/i.test(raw)) continue;
    let href: string;
    try {
      href = new URL(raw, base).href;
    } catch {
      // A relative link without a base URL (or a malformed one) is kept as written.
      href = raw;
    }
    if (seen.has(href)) continue;
    seen.add(href);
    out.push({ href, text: normaliseText(a.textContent ?? '').slice(0, 200) });
    if (out.length >= max) break;
  }
  return out;
}

/** Collapses runs of spaces, keeps paragraph breaks (at most one blank line). */
export function normaliseText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
