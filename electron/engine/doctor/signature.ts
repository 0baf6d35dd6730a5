import { redact } from './redact.ts';
import type { ErrorRecord } from './types.ts';

/**
 * Replacements applied in order: the specific shapes first (a URL contains a path and
 * numbers; a timestamp contains numbers), the catch-all number last.
 */
const STEPS: [RegExp, string][] = [
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>)]+/gi, '<url>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, '<ts>'],
  [/\b\d{1,2}:\d{2}(:\d{2})?(\s?[ap]m)?(?![\d.])/gi, '<time>'],
  [/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<ip>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  [/\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, '<email>'],
  [
    /\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|app|co|uk|de|fr|ai|example|edu|gov|info|me|tv|news|ly|be|local)\b/gi,
    '<host>',
  ],
  [/(?:[A-Za-z]:\\|\\\\)[^\s'"]+/g, '<path>'],
  [/(?:^|(?<=[\s(=:'"]))(?:~|\.{1,2})?\/[^\s'"):,]+/g, '<path>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<hex>'],
  // Quoted fragments name the specific thing (a property, a key, a title).
  [/(?<![\w])(['"`‘“])(?:(?!\1)[^\n]){0,200}?(?:\1|’|”)(?![\w])/g, '<q>'],
  // Quantities with a unit (1532ms, 12MB) are numbers, not ids.
  [/\b\d+(\.\d+)?(ms|s|m|h|d|kb|mb|gb|b|px)\b/gi, '<n>'],
  // Ids: tokens mixing letters and digits (video ids, request ids), 6+ chars.
  [/\b(?=[\w-]*\d)(?=[\w-]*[a-z])[\w-]{6,}\b/gi, '<id>'],
  [/\b\d+(\.\d+)?\b/g, '<n>'],
  [/\s+/g, ' '],
];

/** Strips everything that differs between two occurrences of the same error. */
export function normalize(text: string): string {
  let s = redact(text);
  for (const [re, rep] of STEPS) s = s.replace(re, rep);
  return s.trim();
}

/**
 * The signature two occurrences of the same error share: name, code, status and the
 * normalized message, plus the telling line of a child's stderr. It keys the doctor cache
 * (an LLM verdict is never paid for twice) and groups `jobctl failures`.
 */
export function signatureOf(r: ErrorRecord): string {
  const head = [r.name, r.code ?? r.causeCode, r.status, r.apiCode]
    .filter((v) => v !== undefined && v !== '')
    .join(' ');
  const first = (r.message ?? '').split('\n')[0] ?? '';
  const parts = first.trim() ? [normalize(first).slice(0, 160)] : [];
  const line = r.stderr ? tellingLine(r.stderr) : undefined;
  if (line) parts.push(normalize(line).slice(0, 120));
  // A record of only a body (an error page): its first words identify it.
  if (parts.length === 0 && r.body) parts.push(normalize(r.body.slice(0, 400)).slice(0, 160));
  return `${head ? `${head}: ` : ''}${parts.join(' | ')}`.slice(0, 300);
}

/** The last `ERROR:` line of a tool's stderr (or a page), else its last non-empty line. */
export function tellingLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.findLast((l) => /\berror\b/i.test(l)) ?? lines.at(-1);
}
