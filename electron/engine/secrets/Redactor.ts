import { findCredentials } from './credentialPatterns.ts';

/** Shorter values are not redacted by value: `abc` would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * Every secret this process has handed out, by its exact value and the forms it travels in
 * (URL-encoded, base64, inside `Basic user:pass`), each replaced by `[secret:NAME]` — the name,
 * never a prefix of the value. Well-known key formats the engine did not hand out (a key pasted
 * into a handler, a token echoed by a provider) are the second net: `[secret:KIND]`.
 *
 * One per process, since secrets are: a SecretStore registers each value it returns, and every
 * string leaving a run (errors, events, doctor decisions, pause reasons, logs, API and SSE
 * payloads, notifications) passes through `redact`.
 */
export class Redactor {
  /** Each form of each value → the secret's name. */
  private readonly forms = new Map<string, string>();
  private sorted: [string, string][] = [];

  register(name: string, value: string): void {
    if (value.length < MIN_SECRET_LENGTH || this.forms.get(value) === name) return;
    for (const form of formsOf(value)) this.forms.set(form, name);
    // Longest first, so a form that contains another (base64 of `user:value`) wins.
    this.sorted = [...this.forms].sort((a, b) => b[0].length - a[0].length);
  }

  /** The text with every known value, its encodings and known key formats replaced. */
  redact(text: string): string {
    let s = text;
    for (const [form, name] of this.sorted)
      if (s.includes(form)) s = s.split(form).join(`[secret:${name}]`);
    s = s.replace(BASIC, (all, token: string) => {
      const name = this.nameInBasic(token);
      return name ? `Basic [secret:${name}]` : all;
    });
    const spans = findCredentials(s);
    for (let i = spans.length - 1; i >= 0; i--) {
      const sp = spans[i]!;
      if (s.slice(sp.start, sp.end).startsWith('[secret:')) continue;
      s = `${s.slice(0, sp.start)}[secret:${sp.kind}]${s.slice(sp.end)}`;
    }
    // The widest net last: shapes that are credentials often enough (a short `sk-…`, any
    // Bearer value, `?key=`) — blanking a word too many costs less than one key leaked.
    for (const [re, rep] of WIDE_NET) s = s.replace(re, rep);
    return s;
  }

  /** Every string inside a value (objects, arrays, any depth), redacted; other values as they are. */
  redactDeep<T>(value: T, seen = new WeakSet<object>()): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (!value || typeof value !== 'object' || seen.has(value)) return value;
    seen.add(value);
    if (value instanceof Error) {
      const e = new Error(this.redact(value.message));
      e.name = value.name;
      if (value.stack) e.stack = this.redact(value.stack);
      return e as T;
    }
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v, seen)) as T;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.redactDeep(v, seen);
    return out as T;
  }

  /** `Basic <base64 of user:pass>` whose password is a known value: the name, else undefined. */
  private nameInBasic(token: string): string | undefined {
    let decoded: string;
    try {
      decoded = Buffer.from(token, 'base64').toString('utf8');
    } catch {
      return undefined;
    }
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return this.forms.get(decoded.slice(colon + 1));
  }
}

const BASIC = /\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})/g;

const WIDE_NET: [RegExp, string][] = [
  // `+`, `/` and `=` included: a key that has them must not leave its tail behind.
  [/\b(?:sk|pk|rk|gsk)-(?!\[secret)[A-Za-z0-9_*+/=-]{8,}/g, '[secret:api-key]'],
  [/\bxox[abpsr]-[A-Za-z0-9-]{8,}/g, '[secret:slack-token]'],
  [/\b(bearer|basic|token)\s+(?!\[secret)[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [secret:token]'],
  [
    /([?&](?:api[_-]?key|key|token|access_token|auth|sig|signature|password)=)(?!\[secret|%5Bsecret)[^&\s'"]+/gi,
    '$1[secret:token]',
  ],
  [/(\/\/[^/\s:@]+:)(?!\[secret)[^@\s/]+@/g, '$1[secret:password]@'],
  [
    /\b(?:AIza[0-9A-Za-z_-]{20,}|ghp_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g,
    '[secret:token]',
  ],
];

function formsOf(value: string): string[] {
  const b64 = Buffer.from(value).toString('base64');
  return [
    ...new Set([
      value,
      encodeURIComponent(value),
      b64,
      b64.replace(/=+$/, ''),
      Buffer.from(value).toString('base64url'),
    ]),
  ].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** The process's redactor. */
export const redactor = new Redactor();

/** Shorthand for `redactor.redact`. */
export function redact(text: string): string {
  return redactor.redact(text);
}
