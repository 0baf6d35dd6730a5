import { stripFrames } from '../rules/index.ts';
import type { ErrorRecord } from '../types.ts';

/** Words too common in error text to say anything about its class. */
const STOP = new Set(
  'the a an of to in on at for and or is are was were be been this that it its with from by as your you we our not no please error failed failure exception code message status request response http https www com org net json html true false null undefined'.split(
    ' ',
  ),
);

/**
 * The features a record is judged on by the error model: the words of its message, body,
 * stderr and cause (lower-cased; camelCase and snake_case split; numbers, ids and URLs
 * dropped), pairs of neighbouring words, and structured marks — the HTTP status and its
 * family, the error's name and code, and whether a traceback or a tool's ERROR line is
 * there. Each feature counts once per record: short texts say a thing once.
 */
export function errorTokens(r: ErrorRecord): string[] {
  const out = new Set<string>();
  if (r.status !== undefined) {
    out.add(`status:${r.status}`);
    out.add(`status:${Math.floor(r.status / 100)}xx`);
  }
  if (r.name && r.name !== 'Error') out.add(`name:${r.name.replace(/^.*\./, '').toLowerCase()}`);
  for (const c of [r.code, r.causeCode, r.apiCode])
    if (c) out.add(`code:${String(c).toLowerCase()}`);
  const raw = [r.message, r.causeMessage, r.body?.slice(0, 3000), r.stderr?.slice(-3000)]
    .filter(Boolean)
    .join('\n');
  if (/^\s*ERROR: \[/m.test(raw)) out.add('mark:tool-error');
  // Stack frames name code paths and file names, not the situation; a traceback says where it
  // broke, and its last line what broke (kept). That a traceback exists is no evidence of a bug.
  const text = stripFrames(raw);
  const words = text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 2 && w.length <= 24 && !STOP.has(w));
  for (let i = 0; i < words.length; i++) {
    out.add(words[i]!);
    if (i + 1 < words.length) out.add(`${words[i]} ${words[i + 1]}`);
  }
  return [...out];
}
