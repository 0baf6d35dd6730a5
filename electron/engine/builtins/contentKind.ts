/**
 * What kind of document an artifact is, from its declared content type and its first bytes.
 * `builtin/extract` asks before it hands a body to a parser, so a PDF, an image or a Markdown
 * file under `format: html` fails the item with a sentence a person can act on, instead of a
 * parser's TypeError that looks like a bug.
 */

export type ExtractFormat = 'html' | 'text' | 'vtt' | 'srt';

export type FormatChoice =
  | { format: ExtractFormat; markdown?: boolean }
  /** Not something extract reads; `what` names it (`application/pdf`, `binary data`). */
  | { unsupported: string; binary: boolean };

/** Magic numbers (bytes at an offset) of the binaries that most often reach a text pipeline. */
const MAGIC: [offset: number, bytes: number[] | string, name: string][] = [
  [0, '%PDF-', 'application/pdf'],
  [0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
  [0, [0xff, 0xd8, 0xff], 'image/jpeg'],
  [0, 'GIF8', 'image/gif'],
  [8, 'WEBP', 'image/webp'],
  [0, [0x50, 0x4b, 0x03, 0x04], 'application/zip'],
  [0, [0x1f, 0x8b], 'application/gzip'],
  [0, 'ID3', 'audio/mpeg'],
  [0, 'OggS', 'audio/ogg'],
  [4, 'ftyp', 'video/mp4'],
  [0, [0x1a, 0x45, 0xdf, 0xa3], 'video/webm'],
  [0, [0xd0, 0xcf, 0x11, 0xe0], 'application/msword'],
];

function startsWith(head: Buffer, offset: number, bytes: number[] | string): boolean {
  const want = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return (
    head.length >= offset + want.length && head.subarray(offset, offset + want.length).equals(want)
  );
}

const BINARY_TYPE =
  /^(image|audio|video|font)\/|^application\/(pdf|zip|gzip|x-|msword|vnd\.|octet-stream|wasm|epub)/;

/** A declared type that is never text (`application/octet-stream` included). */
export function isBinaryType(mime: string | null): boolean {
  return mime !== null && BINARY_TYPE.test(mime);
}

/** The media type without parameters, lower-case: `text/markdown; charset=utf-8` → `text/markdown`. */
export function mimeOf(contentType: string | null | undefined): string | null {
  const m = contentType?.split(';')[0]?.trim().toLowerCase();
  return m ? m : null;
}

/** A binary's name when the first bytes say so (magic number, NUL bytes, not UTF-8). */
export function sniffBinary(head: Buffer): string | null {
  for (const [offset, bytes, name] of MAGIC) if (startsWith(head, offset, bytes)) return name;
  const sample = head.subarray(0, 8192);
  if (sample.includes(0)) return 'binary data';
  const text = sample.toString('utf8');
  let bad = 0;
  for (const ch of text) if (ch === '\uFFFD') bad++;
  // Latin-1 prose has an invalid sequence per accented letter (a few %); binaries have lots.
  return text.length > 0 && bad / text.length > 0.1 ? 'binary data (not UTF-8 text)' : null;
}

function headText(head: Buffer): string {
  return head
    .subarray(0, 2048)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

export function looksLikeVtt(head: Buffer): boolean {
  return /^WEBVTT/.test(headText(head));
}

export function looksLikeSrt(head: Buffer): boolean {
  return /^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->/.test(headText(head));
}

/** An HTML document or fragment: a doctype, an <html>/<head>/<body>, or a tag up front. */
export function looksLikeHtml(head: Buffer): boolean {
  const t = headText(head).trimStart();
  return /^(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<!--|<(p|div|article|section|main|h[1-6]|table|ul|meta|title|link|script|style)[\s>])/i.test(
    t,
  );
}

/**
 * `format: auto`: subtitles by their first line, binaries by their bytes, then the declared
 * type (HTML, plain text, Markdown; other text/* as text), then the bytes for an undeclared
 * or generic (`application/octet-stream`) type.
 */
export function chooseFormat(contentType: string | null | undefined, head: Buffer): FormatChoice {
  const mime = mimeOf(contentType);
  if (looksLikeVtt(head) || mime === 'text/vtt') return { format: 'vtt' };
  if (looksLikeSrt(head) || (mime && /subrip|x-srt/.test(mime))) return { format: 'srt' };
  const binary = sniffBinary(head);
  if (binary)
    return {
      unsupported:
        isBinaryType(mime) && mime !== 'application/octet-stream' ? (mime as string) : binary,
      binary: true,
    };
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return { format: 'html' };
  if (mime === 'text/markdown' || mime === 'text/x-markdown')
    return { format: 'text', markdown: true };
  // Servers label many things text/plain; an HTML document is still HTML.
  if (mime === 'text/plain') return looksLikeHtml(head) ? { format: 'html' } : { format: 'text' };
  if (mime?.startsWith('text/')) return { format: 'text' };
  if (mime === null || mime === 'application/octet-stream' || mime === 'binary/octet-stream')
    return looksLikeHtml(head) ? { format: 'html' } : { format: 'text' };
  return { unsupported: mime, binary: isBinaryType(mime) };
}
