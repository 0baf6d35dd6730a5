import { SIGNAL } from '../handler/signals.ts';
import type { BlockVerdict } from '../../../workers/tasks/detectBlockPage.ts';

/**
 * Typed fetch failures. Each carries a stable `code`, an HTTP-ish `status` and an
 * `errorClass` hint, so the doctor can classify them without reading prose. Signals
 * (RetryLater, FailItem) are used where the right outcome is certain.
 */

/**
 * Signals are recognised by their brand (handler/signals.ts), so these carry the RetryLater /
 * FailItem brand themselves while keeping their own names.
 */
class Later extends Error {
  readonly [SIGNAL] = 'retry_later' as const;
  constructor(
    message: string,
    /** RetryLater's delay: the engine retries after this long. */
    readonly afterMs?: number,
  ) {
    super(message);
  }
  get retryAfterMs(): number | undefined {
    return this.afterMs;
  }
}

/** A "please wait 24 hours" / "too many requests" page or a 429: wait, then try again. */
export class RateLimitedPage extends Later {
  override readonly name = 'RateLimitedPage';
  readonly code = 'rate_limited_page';
  readonly status = 429;
  readonly errorClass = 'rate_limited';
}

/**
 * "Confirm you're not a bot", a challenge page, a CAPTCHA: the site refuses this machine, for
 * every item of it, until a person opens it in a browser. Not a "retry later": counted by the
 * doctor per site (`host`) toward the systemic breaker, which pauses the job.
 */
export class BotCheckPage extends Error {
  override readonly name = 'BotCheckPage';
  readonly code = 'bot_check';
  readonly status = 403;
  readonly errorClass = 'systemic';
  readonly host: string;
  constructor(
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.host = hostOf(url);
  }
}

/**
 * A login wall: every item of this site will hit it until a person fixes access. `host` is
 * the site whose content is walled (the requested URL's), so walls can be counted per site;
 * `finalUrl` is where the redirects ended (the sign-in form).
 */
export class LoginWallPage extends Error {
  override readonly name = 'LoginWallPage';
  readonly code = 'login_wall';
  readonly status = 401;
  readonly errorClass = 'systemic';
  readonly host: string;
  constructor(
    readonly url: string,
    readonly finalUrl: string,
    /** What gave it away (`redirected to /login`, `a sign-in form (“Sign in”, …)`). */
    readonly evidence: string,
  ) {
    super(
      url !== finalUrl
        ? `login wall: ${url} redirected to a sign-in form at ${finalUrl}${evidence.startsWith('redirected') ? '' : ` (${evidence})`}`
        : `login wall: ${url} is a sign-in page, not content (“${evidence}”)`,
    );
    this.host = hostOf(url);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    // httpGet refuses non-URLs before any request; keep the text for the message anyway.
    return url;
  }
}

/** 200 with nothing in it: usually a transient server hiccup. */
export class EmptyBody extends Error {
  override readonly name = 'EmptyBody';
  readonly code = 'empty_body';
  readonly errorClass = 'transient';
}

/** 4xx/5xx. 5xx and 408 are transient; the caller maps 404/410 to FailItem. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  readonly code = 'http_status';
  constructor(
    readonly status: number,
    readonly url: string,
    /** The head of the error page: its words say more than its status (the doctor reads them). */
    readonly body?: string,
  ) {
    super(`HTTP ${status} from ${url}`);
  }
}

/** The page is gone (404/410), too large, or redirects forever: retrying will not help. */
export class BadPage extends Error {
  override readonly name = 'BadPage';
  readonly [SIGNAL] = 'fail_item' as const;
  readonly errorClass = 'item_specific';
  constructor(
    readonly code: 'not_found' | 'too_large' | 'too_many_redirects' | 'bad_url',
    readonly reason: string,
    readonly status?: number,
  ) {
    super(reason);
  }
}

/** The typed error for a block page; `url` was requested, `finalUrl` answered with the page. */
export function blockError(v: BlockVerdict, url: string, finalUrl = url): Error {
  const where = `${finalUrl}: “${v.evidence}”`;
  switch (v.kind) {
    case 'rate_limited':
      return new RateLimitedPage(`rate-limit page instead of content at ${where}`, v.retryAfterMs);
    case 'bot_check':
      return new BotCheckPage(`bot check instead of content at ${where}`, url);
    case 'login_wall':
      return new LoginWallPage(url, finalUrl, v.evidence);
    case 'empty':
      return new EmptyBody(`empty page at ${finalUrl}`);
  }
}
