import { fileURLToPath } from 'node:url';

/**
 * Turns whatever was dropped on the window into http(s) URLs. Pure functions: the preload
 * collects the raw payload (DataTransfer types and file paths), main reads the few files
 * that can hold a link and calls these.
 *
 * Formats: `text/uri-list` (RFC 2483: one URI a line, `#` comments), `text/x-moz-url`
 * (Firefox tab drags: URL and title on alternating lines), plain text with URLs in it,
 * `.url` files (Windows InternetShortcut INI) and `.webloc` files (macOS plist, XML or
 * binary).
 */
export interface DropPayload {
  uriList?: string;
  mozUrl?: string;
  text?: string;
  /** Absolute paths of dropped files (webUtils.getPathForFile in the preload). */
  files?: string[];
}

export interface Refusal {
  input: string;
  reason: string;
}

export interface ParsedDrop {
  urls: string[];
  refused: Refusal[];
}

/** Files larger than this are not link files; they are refused without being read whole. */
export const MAX_LINK_FILE_BYTES = 64 * 1024;

// Control characters end a URL too: binary plists put length bytes right after the string.
// eslint-disable-next-line no-control-regex
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`\x00-\x1f\x7f]+/gi;

export function parseUriList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export function parseMozUrl(text: string): string[] {
  // Firefox separates with \n (UTF-16 decoded already): url, title, url, title…
  return text
    .split(/\r?\n/)
    .filter((_, i) => i % 2 === 0)
    .map((l) => l.trim())
    .filter(Boolean);
}

export function extractUrls(text: string): string[] {
  // Trailing punctuation belongs to the sentence, not the URL ("see https://x.org/a.").
  return [...text.matchAll(URL_IN_TEXT)].map((m) => m[0].replace(/[.,;:!?)\]}]+$/, ''));
}

/** `[InternetShortcut]\nURL=https://…` — the only key we need. */
export function parseInternetShortcut(ini: string): string | undefined {
  let inSection = false;
  for (const raw of ini.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) inSection = /^\[InternetShortcut\]$/i.test(line);
    else if (inSection && /^URL\s*=/i.test(line)) return line.replace(/^URL\s*=\s*/i, '');
  }
  return undefined;
}

/**
 * `.webloc`: an XML plist `<key>URL</key><string>…</string>`, or a binary plist (`bplist00`)
 * where the URL is stored as an ASCII string — found by pattern rather than a full parser.
 */
export function parseWebloc(content: Buffer): string | undefined {
  const head = content.subarray(0, 8).toString('latin1');
  if (head === 'bplist00') return extractUrls(content.toString('latin1'))[0];
  const xml = content.toString('utf8');
  const m = /<key>\s*URL\s*<\/key>\s*<string>([^<]*)<\/string>/i.exec(xml);
  return m?.[1] ? decodeXmlEntities(m[1].trim()) : undefined;
}

function decodeXmlEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Only http(s): file:, javascript:, data: and friends are refused with a reason. */
export function checkUrl(candidate: string): { url: string } | { reason: string } {
  let u: URL;
  try {
    u = new URL(candidate);
  } catch {
    // Not a URL at all: reported back to the user as refused, nothing else happens.
    return { reason: 'not a URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { reason: `only http(s) links are accepted, not ${u.protocol}` };
  return { url: u.href };
}

export interface FileReader {
  size(path: string): Promise<number>;
  read(path: string): Promise<Buffer>;
}

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** URLs from one dropped file, or why it was refused. */
export async function urlsFromFile(
  path: string,
  reader: FileReader,
): Promise<{ urls: string[] } | Refusal> {
  const name = basename(path);
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  if (ext !== 'url' && ext !== 'webloc')
    return { input: name, reason: 'not a link: drop links, text, .url or .webloc files' };
  try {
    if ((await reader.size(path)) > MAX_LINK_FILE_BYTES)
      return { input: name, reason: 'too large to be a link file' };
    const content = await reader.read(path);
    const url =
      ext === 'url' ? parseInternetShortcut(content.toString('utf8')) : parseWebloc(content);
    return url ? { urls: [url] } : { input: name, reason: `no URL found in this .${ext} file` };
  } catch (err) {
    // Unreadable (permissions, vanished): refused with the reason, the rest still goes through.
    return { input: name, reason: `could not read: ${(err as Error).message}` };
  }
}

/**
 * Every URL in a drop, deduplicated, in drop order. A browser tab drag carries the same URL
 * as uri-list, moz-url and text at once: the richest format wins and the text is only used
 * when no list format is present (so a page title is not mined for stray URLs).
 */
export async function parseDrop(payload: DropPayload, reader: FileReader): Promise<ParsedDrop> {
  const candidates: string[] = [];
  const refused: Refusal[] = [];
  if (payload.uriList) candidates.push(...parseUriList(payload.uriList));
  else if (payload.mozUrl) candidates.push(...parseMozUrl(payload.mozUrl));
  else if (payload.text) {
    const found = extractUrls(payload.text);
    if (found.length === 0 && !payload.files?.length)
      refused.push({ input: truncate(payload.text), reason: 'no http(s) link in the text' });
    candidates.push(...found);
  }
  // File managers put dropped files in uri-list as file:// URIs too: read those as files.
  const files = [...(payload.files ?? [])];
  for (const c of candidates.splice(0)) {
    if (!/^file:/i.test(c)) candidates.push(c);
    else {
      const path = filePath(c);
      if (path && !files.includes(path)) files.push(path);
    }
  }
  for (const path of files) {
    const r = await urlsFromFile(path, reader);
    if ('urls' in r) candidates.push(...r.urls);
    else refused.push(r);
  }
  const urls: string[] = [];
  for (const c of candidates) {
    const checked = checkUrl(c);
    if ('reason' in checked) refused.push({ input: truncate(c), reason: checked.reason });
    else if (!urls.includes(checked.url)) urls.push(checked.url);
  }
  return { urls, refused };
}

function filePath(fileUrl: string): string | undefined {
  try {
    return fileURLToPath(fileUrl);
  } catch {
    // A file URL for another host (file://server/share): not something we can read.
    return undefined;
  }
}

function truncate(s: string, n = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
