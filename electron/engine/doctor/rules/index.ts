import { resumeTime } from '../resumeTime.ts';
import { retryAfterMs } from '../retryAfter.ts';
import type { ErrorRecord, Rule, RuleHit } from '../types.ts';
import { abortRule, errnoRule } from './errno.ts';
import { httpRule } from './http.ts';
import { jsBugRule } from './jsBugs.ts';
import { ownCodeRule } from './ownCodes.ts';
import { phraseRule } from './phraseRule.ts';
import { providerRule } from './providers.ts';
import { pythonRule } from './python.ts';
import { sqliteRule } from './sqlite.ts';
import { undiciRule } from './undici.ts';
import { ytdlpRule } from './ytdlp.ts';

/**
 * Every family of evidence. All are asked; the heaviest piece of evidence wins (see
 * applyRules). The order only breaks exact ties: codes we or a library set on purpose, then
 * tool-specific readers, then the words of the message and body, then bare statuses.
 */
export const RULES: readonly Rule[] = [
  ownCodeRule,
  sqliteRule,
  ytdlpRule,
  pythonRule,
  providerRule,
  errnoRule,
  undiciRule,
  phraseRule,
  jsBugRule,
  abortRule,
  httpRule,
];

/** Nothing said when: look again in 30 minutes rather than hammering a closed source. */
export const DEFAULT_TEMPORAL_WAIT_MS = 30 * 60_000;
/** An item that is "not yet" available, with no time given: look again in an hour. */
export const DEFAULT_ITEM_WAIT_MS = 60 * 60_000;

/**
 * Everything a rule may read, as one string: message, cause, body head and stderr tail —
 * without stack frames. A frame names code, not the situation: `at RateLimiter.wait (…)` in a
 * trace of a socket hang-up, or a Python traceback's source lines, would read as evidence.
 * The exception line a traceback ends with stays.
 */
export function textOf(r: ErrorRecord): string {
  return stripFrames(
    [r.message, r.causeMessage, r.body?.slice(0, 3000), r.stderr?.slice(-3000)]
      .filter(Boolean)
      .join('\n'),
  );
}

const JS_FRAME =
  /^\s*at\s+(?:async\s+)?\S.*(?:\(.*:\d+:\d+\)|:\d+:\d+|\(native\)|\(<anonymous>\))\s*$/;
const PY_FRAME = /^\s*File "[^"]*", line \d+/;

export function stripFrames(text: string): string {
  if (!/^\s*(?:at\s|File ")/m.test(text)) return text;
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (JS_FRAME.test(l)) continue;
    if (PY_FRAME.test(l)) {
      // The frame's source line follows, indented deeper than the frame.
      const next = lines[i + 1];
      if (next !== undefined && /^\s{4,}\S/.test(next) && !/^\s*File "/.test(next)) i++;
      continue;
    }
    if (/^Traceback \(most recent call last\):?\s*$/.test(l.trim())) continue;
    out.push(l);
  }
  return out.join('\n');
}

/**
 * Weighs the evidence instead of taking the first match: each family reports what it saw
 * with a weight (a provider's `insufficient_quota` code 0.97, "API key not valid" in a body
 * 0.92, a bare 400 0.55), and the heaviest wins, so specific words beat a generic status.
 * When two families agree on the winner's class the confidence rises a little. The winner
 * then gets its timing: a rate limit's Retry-After, a temporal error's resume time. The
 * explanation names the deciding evidence and what it outweighed.
 */
export function applyRules(r: ErrorRecord, now = Date.now()): RuleHit | undefined {
  const text = textOf(r);
  const hits: RuleHit[] = [];
  for (const rule of RULES) {
    const out = rule(r, text, now);
    if (isList(out)) hits.push(...out);
    else if (out) hits.push(out);
  }
  if (hits.length === 0) return undefined;
  let best = hits[0]!;
  for (const h of hits) if (h.confidence > best.confidence) best = h;
  const agreeing = hits.filter((h) => h !== best && h.class === best.class).length;
  const overruled = hits.find((h) => h.class !== best.class);
  const won: RuleHit = {
    ...best,
    confidence: Math.min(
      0.99,
      Math.round((best.confidence + (agreeing > 0 ? 0.02 : 0)) * 100) / 100,
    ),
  };
  if (!won.tag) {
    // A tag says what the evidence is about; a bare status's guess (a 403 counted as a block)
    // must not rename a key error a block page.
    const tagged = hits.find((h) => h.class === best.class && h.tag && !h.rule.startsWith('http.'));
    if (tagged?.tag) won.tag = tagged.tag;
  }
  const notes = [
    best.evidence ? `“${best.evidence}”` : undefined,
    agreeing > 0 ? `+${agreeing} agreeing` : undefined,
    overruled ? `over ${overruled.rule} (${overruled.class})` : undefined,
  ].filter(Boolean);
  won.evidence = notes.join(' ') || undefined;
  if (won.evidence === undefined) delete won.evidence;
  return withTiming(won, r, text, now);
}

/** A rate limit waits as long as the server asked; a temporal error until the stated time. */
export function withTiming(hit: RuleHit, r: ErrorRecord, text: string, now: number): RuleHit {
  if (hit.class === 'rate_limited' || hit.class === 'transient') {
    const wait = retryAfterMs(r, text, now);
    if (wait !== undefined) hit.retryAfterMs = wait;
  }
  if (hit.class === 'temporal') {
    const wait = retryAfterMs(r, text, now);
    hit.resumeAt =
      resumeTime(text, now) ??
      (wait !== undefined ? now + wait : undefined) ??
      now + (hit.scope === 'item' ? DEFAULT_ITEM_WAIT_MS : DEFAULT_TEMPORAL_WAIT_MS);
  }
  return hit;
}

function isList(v: RuleHit | readonly RuleHit[] | undefined): v is readonly RuleHit[] {
  return Array.isArray(v);
}
