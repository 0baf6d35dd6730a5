import { normaliseText } from './extractHtml.ts';

export interface ExtractedText {
  title: string | null;
  text: string;
  excerpt: string | null;
  links: { href: string; text: string }[];
  chars: number;
  words: number;
  /** The document was read as Markdown (its markup is removed from `text`). */
  markdown: boolean;
}

export interface ExtractTextOptions {
  /** Read as Markdown (text/markdown, or sniffed); otherwise plain text, kept as written. */
  markdown?: boolean;
  url?: string;
  maxLinks?: number;
}

const FENCE = /^\s{0,3}(```|~~~)/;
const ATX = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
const REF_DEF = /^\s{0,3}\[[^\]]+\]:\s*(\S+)/;
const EXCERPT_MAX = 300;
const TITLE_MAX = 200;

/**
 * Plain text and Markdown → `text`, `title`, `excerpt`, `links`, `words`. The title is a YAML
 * front matter `title:`, else the first Markdown heading, else the first line. Markdown's
 * markup (heading marks, emphasis, link targets, list bullets) is removed from `text` so word
 * counts and LLM prompts see prose; code blocks are kept as written.
 */
export function extractText(raw: string, options: ExtractTextOptions = {}): ExtractedText {
  let src = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let frontTitle: string | null = null;
  const front = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\s*(?:\n|$)/.exec(src);
  if (front) {
    const t = /^title:\s*(.+?)\s*$/m.exec(front[1] as string)?.[1];
    if (t) frontTitle = t.replace(/^(['"])(.*)\1$/, '$2').trim() || null;
    src = src.slice(front[0].length);
  }
  const markdown = options.markdown ?? looksLikeMarkdown(src);
  const links: { href: string; text: string }[] = [];
  const seen = new Set<string>();
  const max = options.maxLinks ?? 500;
  const addLink = (href: string, text: string) => {
    if (links.length >= max || /^(#|javascript:|mailto:|data:)/i.test(href)) return;
    let abs = href;
    try {
      abs = new URL(href, options.url).href;
    } catch {
      // A relative link without a base URL is kept as written.
    }
    if (seen.has(abs)) return;
    seen.add(abs);
    links.push({ href: abs, text: normaliseText(text).slice(0, 200) });
  };

  const lines = src.split('\n');
  const out: string[] = [];
  let heading: string | null = null;
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!markdown) {
      out.push(line);
      continue;
    }
    if (FENCE.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      const h = inline(atx[1] as string, addLink);
      heading ??= h || null;
      out.push(h);
      continue;
    }
    const next = lines[i + 1];
    if (
      next !== undefined &&
      line.trim() !== '' &&
      SETEXT.test(next) &&
      !/^\s*[-*+]\s/.test(line)
    ) {
      const h = inline(line, addLink);
      heading ??= h || null;
      out.push(h);
      i++; // the underline
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) continue; // a thematic break
    const ref = REF_DEF.exec(line);
    if (ref) {
      addLink((ref[1] as string).replace(/^<|>$/g, ''), '');
      continue;
    }
    const body = line
      .replace(/^\s{0,3}(?:>\s?)+/, '') // block quotes
      .replace(/^(\s*)(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/, '$1'); // list bullets, task boxes
    out.push(inline(body, addLink));
  }
  if (!markdown)
    for (const m of src.matchAll(/\bhttps?:\/\/[^\s<>"'()]+[^\s<>"'().,;:!?]/g)) addLink(m[0], '');

  const text = normaliseText(out.join('\n').replace(/<!--[\s\S]*?-->/g, ''));
  const firstLine = text.split('\n').find((l) => l.trim() !== '') ?? null;
  const title = clip(frontTitle ?? heading ?? firstLine, TITLE_MAX);
  return {
    title,
    text,
    excerpt: excerptOf(text, title),
    links,
    chars: text.length,
    words: text.length === 0 ? 0 : text.split(/\s+/).length,
    markdown,
  };
}

/** Markdown's tell-tale signs in the first 4 KB: headings, links, fences, emphasis, lists. */
export function looksLikeMarkdown(text: string): boolean {
  const head = text.slice(0, 4096);
  let signs = 0;
  if (/^\s{0,3}#{1,6}\s+\S/m.test(head)) signs += 2;
  if (/\[[^\]\n]+\]\([^)\s]+\)/.test(head)) signs += 2;
  if (/^\s{0,3}(```|~~~)/m.test(head)) signs += 2;
  if (/^\S.*\n\s{0,3}(=+|-+)\s*$/m.test(head)) signs++;
  if (/(\*\*|__)\S[^\n]*?\S\1/.test(head)) signs++;
  if (/^\s*[-*+]\s+\S/m.test(head)) signs++;
  return signs >= 2;
}

/** Inline Markdown → its text: images → alt, links → label, emphasis and code marks dropped. */
function inline(s: string, addLink: (href: string, text: string) => void): string {
  return s
    .replace(/!\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, label: string, href: string) => {
      addLink(href.replace(/^<|>$/g, ''), label);
      return label;
    })
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|ftp):\/\/[^>\s]+)>/g, (_m, href: string) => {
      addLink(href, href);
      return href;
    })
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, '$2')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .trim();
}

function clip(s: string | null, max: number): string | null {
  if (!s) return null;
  const t = s.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t || null;
  const cut = t.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}

/** The first paragraph that is not the title, up to 300 characters. */
function excerptOf(text: string, title: string | null): string | null {
  for (const para of text.split(/\n{2,}/)) {
    const lines = para.split('\n');
    if (title && lines[0]?.trim() === title) lines.shift();
    const p = lines.join(' ').replace(/\s+/g, ' ').trim();
    if (!p || p === title) continue;
    return clip(p, EXCERPT_MAX);
  }
  return null;
}
