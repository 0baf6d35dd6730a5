/**
 * Recognises pages that are not the content we asked for: rate-limit notices, bot checks,
 * login walls, empty bodies. Sites serve these with status 200, so a status check alone would
 * store garbage as a "successful" fetch and every later stage would process it.
 *
 * Pure and cheap (a few regexes over at most 64 KB of visible text): the fetch handler runs it
 * on the main thread before storing, the audit's `not_block_page` check runs it in a worker.
 */
export type BlockKind = 'empty' | 'rate_limited' | 'bot_check' | 'login_wall';

export interface BlockVerdict {
  kind: BlockKind;
  /** The phrase that matched, quoted in the error so a person can see why. */
  evidence: string;
  /** For rate limits that say how long to wait ("please wait 24 hours"). */
  retryAfterMs?: number;
}

const RATE_LIMIT = [
  /please wait (\d+)\s*(second|minute|hour|day)s?/i,
  /try again in (\d+)\s*(second|minute|hour|day)s?/i,
  /view count will reset/i,
  /too many requests/i,
  /rate limit(?:ed| exceeded)/i,
  /you have reached (?:the|your) (?:daily |monthly )?limit/i,
];
const BOT_CHECK = [
  /confirm (?:that )?you(?:'|’)?re not a (?:bot|robot)/i,
  /are you a (?:human|robot)\??/i,
  /verify (?:that )?you are (?:a )?human/i,
  /checking (?:if the site connection is secure|your browser before accessing)/i,
  /unusual traffic from your (?:computer|network)/i,
  /please complete the security check/i,
];
const LOGIN_WALL = [
  /(?:sign|log) ?in to (?:continue|read|view|see)/i,
  /you must be (?:logged|signed) in/i,
  /please (?:log|sign) ?in/i,
  /login required/i,
  /create (?:a free|an) account to (?:continue|read)/i,
];

/** A real article mentions "log in" in its footer; a wall is short. Above this, only rate limits and bot checks count. */
const WALL_MAX_CHARS = 1500;
/** Block pages are small; a 200 KB article quoting "too many requests" is still an article. */
const NOTICE_MAX_CHARS = 20_000;

const UNIT_MS: Record<string, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

export function detectBlockPage(visibleText: string): BlockVerdict | undefined {
  const text = visibleText.replace(/\s+/g, ' ').trim();
  if (text.length === 0) return { kind: 'empty', evidence: 'the body has no visible text' };
  if (text.length <= NOTICE_MAX_CHARS) {
    for (const re of RATE_LIMIT) {
      const m = re.exec(text);
      if (m) {
        const n = m[1] ? Number(m[1]) : undefined;
        const unit = m[2]?.toLowerCase();
        return {
          kind: 'rate_limited',
          evidence: m[0],
          retryAfterMs: n && unit ? n * (UNIT_MS[unit] ?? 3_600_000) : 3_600_000,
        };
      }
    }
    for (const re of BOT_CHECK) {
      const m = re.exec(text);
      if (m) return { kind: 'bot_check', evidence: m[0] };
    }
  }
  if (text.length <= WALL_MAX_CHARS) {
    for (const re of LOGIN_WALL) {
      const m = re.exec(text);
      if (m) return { kind: 'login_wall', evidence: m[0] };
    }
  }
  return undefined;
}

/** Visible text of an HTML page, roughly: drops scripts, styles, tags and entities. */
export function roughVisibleText(html: string): string {
  return html
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(?:nbsp|#160);/gi, ' ')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
