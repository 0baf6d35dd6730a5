/**
 * Recognises pages that are not the content we asked for: rate-limit notices, bot checks,
 * login walls (by their words, by a sign-in form, or by a redirect to a sign-in URL), empty
 * bodies. Sites serve these with status 200, so a status check alone would store garbage as
 * a "successful" fetch and every later stage would process it.
 *
 * Pure and cheap (a few regexes over at most 256 KB): the fetch handler runs it on the main
 * thread before storing, the audit's `not_block_page` check runs it in a worker.
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
/**
 * A sign-in form's extracted text ("Sign in Email Password Forgot password?") is tiny; a help
 * article about passwords is not. It is all the audit has when only extract's text is stored.
 */
const FORM_TEXT_MAX_CHARS = 600;
/**
 * Text a page may have outside its forms, <nav>, <header>, <footer> and <aside> and still be a
 * sign-in page: a heading and a line or two ("Sign in to X", "New here? Create an account").
 * An article with a login box in its header keeps its article, which is longer. The number is
 * a judgment, not a measurement on real sites: a short news brief under it with a login box
 * would be misread, so keep it below typical article length (the fixture article has ~1,450).
 */
const LOGIN_FORM_MAX_OUTSIDE_CHARS = 1000;
/** "Sign in" wording, in the languages we meet most; a password field alone could be a signup. */
const SIGN_IN_WORDING =
  /\b(?:sign|log)[ -]?(?:in|on)\b|\b(?:login|signin|logon)\b|\banmelden\b|\beinloggen\b|\bse connecter\b|\bconnexion\b|\binloggen\b|\biniciar sesi[oó]n\b/i;
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
  if (text.length <= FORM_TEXT_MAX_CHARS && /\bpass(?:word|wort)\b/i.test(text)) {
    const m = SIGN_IN_WORDING.exec(text);
    if (m) return { kind: 'login_wall', evidence: `${m[0]} … password` };
  }
  return undefined;
}

/**
 * A sign-in form: an `<input type="password">`, sign-in wording (in the text, a button's
 * value or a label), and little text outside forms and page chrome. A long article with a
 * login box in its header is content; see LOGIN_FORM_MAX_OUTSIDE_CHARS.
 */
export function detectLoginForm(html: string): BlockVerdict | undefined {
  const head = html.slice(0, 262_144);
  if (!/<input\b[^>]*\btype\s*=\s*["']?password\b/i.test(head)) return undefined;
  const attrs = [
    ...head.matchAll(/\b(?:value|aria-label|placeholder|title)\s*=\s*["']([^"']{1,80})["']/gi),
  ]
    .map((m) => m[1])
    .join(' ');
  const wording = SIGN_IN_WORDING.exec(roughVisibleText(head)) ?? SIGN_IN_WORDING.exec(attrs);
  if (!wording) return undefined;
  const outside = roughVisibleText(
    head
      .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<form\b[\s\S]*?<\/form\s*>/gi, ' ')
      .replace(/<(nav|header|footer|aside)\b[\s\S]*?<\/\1\s*>/gi, ' '),
  );
  if (outside.length > LOGIN_FORM_MAX_OUTSIDE_CHARS) return undefined;
  return { kind: 'login_wall', evidence: `a sign-in form (“${wording[0]}”, a password field)` };
}

/** Path segments of sign-in pages, anywhere in the path (`/account/login`, `/users/sign_in`). */
const LOGIN_SEGMENTS = new Set([
  'login',
  'log-in',
  'log_in',
  'logon',
  'signin',
  'sign-in',
  'sign_in',
  'servicelogin',
  'wp-login',
  'authenticate',
]);
/**
 * Only as the first segment (`/auth/realms/x`, `/sso/start`): deeper, `auth` may be a slug
 * (`/blog/auth/jwt-explained`).
 */
const LOGIN_ROOTS = new Set(['auth', 'oauth', 'oauth2', 'sso', 'cas', 'idp', 'saml']);
/** Where a sign-in page sends you back to; counted only when the value is a path or URL. */
const RETURN_PARAMS = new Set([
  'next',
  'returnto',
  'return_to',
  'returnurl',
  'return_url',
  'redirect',
  'redirect_to',
  'redirectto',
  'redirect_uri',
  'redirecturl',
  'continue',
  'came_from',
  'destination',
  'goto',
]);

/** Why a URL looks like a sign-in page (`/login`, `?next=`), or undefined. */
export function loginUrlEvidence(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not a URL: nothing to say about it.
    return undefined;
  }
  const segments = u.pathname
    .split('/')
    .filter(Boolean)
    .map((s) =>
      decodeSafe(s)
        .toLowerCase()
        .replace(/\.(php|html?|aspx?|jsp|do)$/, ''),
    );
  const path = segments.join('/');
  if (/(^|\/)sessions?\/new$/.test(path)) return `/${path}`;
  const seg = segments.find((s) => LOGIN_SEGMENTS.has(s));
  if (seg) return `/${seg}`;
  if (segments[0] && LOGIN_ROOTS.has(segments[0])) return `/${segments[0]}/…`;
  for (const [k, v] of u.searchParams) {
    if (RETURN_PARAMS.has(k.toLowerCase()) && /^(\/|https?:)/i.test(v)) return `?${k}=`;
  }
  return undefined;
}

/**
 * A request redirected to a sign-in URL: the content is behind a login. A URL requested on
 * purpose that is itself a sign-in page (someone archives `/login`) is not flagged by this.
 */
export function detectLoginRedirect(requested: string, final: string): BlockVerdict | undefined {
  if (requested === final || loginUrlEvidence(requested)) return undefined;
  const evidence = loginUrlEvidence(final) ?? signInHost(requested, final);
  return evidence ? { kind: 'login_wall', evidence: `redirected to ${evidence}` } : undefined;
}

/** Another site's sign-in host (`login.microsoftonline.com`, `accounts.google.com`). */
function signInHost(requested: string, final: string): string | undefined {
  try {
    const from = new URL(requested).hostname;
    const to = new URL(final).hostname;
    return from !== to && /^(login|signin|sso|auth|accounts|idp)\./i.test(to) ? to : undefined;
  } catch {
    // Unparsable URLs were refused before the request; nothing to compare.
    return undefined;
  }
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    // A malformed escape: the raw segment is still worth comparing.
    return s;
  }
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
