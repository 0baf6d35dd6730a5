import type { ErrorRecord, Rule, RuleHit } from '../types.ts';
import { authExpiredRule, missingKeyRule } from './auth.ts';
import { diskFullRule } from './diskFull.ts';
import { abortRule, errnoRule } from './errno.ts';
import { httpRule } from './http.ts';
import { jsBugRule } from './jsBugs.ts';
import { llmClientRule } from './llm.ts';
import { messageRule } from './messages.ts';
import { openaiRule } from './openai.ts';
import { sqliteRule } from './sqlite.ts';
import { temporalRule } from './temporal.ts';
import { undiciRule } from './undici.ts';
import { ytdlpRule } from './ytdlp.ts';

/**
 * Rule families in the order they are asked; the first hit wins. Specific before general:
 * a closed market or a full disk means the same whatever wrapped it; yt-dlp's stderr
 * before HTTP (its "HTTP Error 429" carries no status); the SDK's classes before the bare
 * status; errno before undici (a "fetch failed" whose cause is ECONNRESET); JS bug names
 * after both, because `TypeError: fetch failed` is the network, not a bug; loose phrases last.
 */
export const RULES: readonly Rule[] = [
  temporalRule,
  diskFullRule,
  missingKeyRule,
  sqliteRule,
  llmClientRule,
  ytdlpRule,
  openaiRule,
  httpRule,
  errnoRule,
  undiciRule,
  abortRule,
  jsBugRule,
  authExpiredRule,
  messageRule,
];

/** Everything a rule may read, as one string: message, cause, body head and stderr. */
export function textOf(r: ErrorRecord): string {
  return [r.message, r.causeMessage, r.body?.slice(0, 2000), r.stderr?.slice(-2000)]
    .filter(Boolean)
    .join('\n');
}

export function applyRules(r: ErrorRecord, now = Date.now()): RuleHit | undefined {
  const text = textOf(r);
  for (const rule of RULES) {
    const hit = rule(r, text, now);
    if (hit) return hit;
  }
  return undefined;
}
