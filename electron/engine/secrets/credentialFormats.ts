/**
 * Well-known key formats, found anywhere in a text: provider tokens (`ghp_…`, `sk-ant-…`,
 * `AKIA…`, `xoxb-…` …), JWTs and PEM private key blocks. Each rule keeps a floor on length and
 * character variety so words, identifiers and `xxxx` placeholders never match. Pure.
 */
import { looksRandom, looksVaried } from './credentialValues.ts';

/** Where a credential sits in a text, and which rule found it. */
export interface CredentialSpan {
  start: number;
  end: number;
  kind: string;
}

export interface FormatRule {
  kind: string;
  what: string;
  re: RegExp;
  /** The matched text must also look random (placeholders such as `ghp_xxxx…` do not). */
  random?: boolean;
  /** Only variety is required, not digits: AWS key ids may be all letters (`AKIADEADBEEF…`). */
  varied?: boolean;
  /** Minimum count of digits in the match (Slack ids are long digit runs; prose is not). */
  digits?: number;
  /** A structural check on the match. */
  check?: (match: string) => boolean;
}

// `(?<![\w-])` / `(?![\w-])`: a key is a whole token, never the tail of an identifier
// (`task_test_…`, `rhf_Sponsored…`, `desktop-sk-…`).
const B = String.raw`(?<![A-Za-z0-9_-])`;
const E = String.raw`(?![A-Za-z0-9_-])`;
const rx = (body: string) => new RegExp(`${B}(?:${body})${E}`, 'g');

/** Order matters: the first rule that matches a span names it (Anthropic before OpenAI). */
export const FORMATS: FormatRule[] = [
  { kind: 'anthropic', what: 'an Anthropic API key', re: rx('sk-ant-[a-z]+\\d*-[\\w-]{32,}') },
  { kind: 'openrouter', what: 'an OpenRouter API key', re: rx('sk-or-v\\d+-[A-Za-z0-9]{32,}') },
  {
    kind: 'openai',
    what: 'an OpenAI-style API key',
    re: rx('sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}'),
    random: true,
  },
  { kind: 'github', what: 'a GitHub token', re: rx('gh[pousr]_[A-Za-z0-9_]{30,}'), random: true },
  { kind: 'github', what: 'a GitHub token', re: rx('github_pat_[A-Za-z0-9_]{22,}'), random: true },
  {
    kind: 'gitlab',
    what: 'a GitLab token',
    re: rx('(?:gl(?:pat|dt|ft|rt|cbt|soat|ffct|imt|agent|oas|ptt)-|GR1348941)[\\w.-]{20,}'),
    random: true,
  },
  {
    kind: 'slack',
    what: 'a Slack token',
    re: rx('(?:xoxe\\.)?xox[abposre](?:-[A-Za-z0-9]+){2,}|xapp(?:-[A-Za-z0-9/+]+){2,}'),
    random: true,
    digits: 6,
  },
  {
    kind: 'slack_webhook',
    what: 'a Slack webhook URL',
    re: /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{20,}/g,
    random: true,
  },
  {
    kind: 'aws_access_key',
    what: 'an AWS access key id',
    re: rx('(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}'),
    varied: true,
  },
  { kind: 'google_api_key', what: 'a Google API key', re: rx('AIza[\\w-]{35}'), random: true },
  {
    kind: 'stripe',
    what: 'a Stripe secret key',
    re: rx('(?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,}'),
    random: true,
  },
  {
    kind: 'huggingface',
    what: 'a Hugging Face token',
    re: rx('(?:hf_|api_org_)[A-Za-z0-9]{34}'),
    random: true,
  },
  { kind: 'groq', what: 'a Groq API key', re: rx('gsk_[A-Za-z0-9]{48,}'), random: true },
  { kind: 'npm', what: 'an npm token', re: rx('npm_[A-Za-z0-9]{36}'), random: true },
  {
    kind: 'sendgrid',
    what: 'a SendGrid API key',
    re: rx('SG\\.[\\w-]{20,24}\\.[\\w-]{39,50}'),
    random: true,
  },
  {
    kind: 'twilio',
    what: 'a Twilio API key',
    re: rx('SK[0-9a-fA-F]{32}'),
    random: true,
    digits: 4,
  },
  {
    kind: 'jwt',
    what: 'a JSON Web Token',
    re: /(?<![\w-])eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]*)?/g,
    check: isJwt,
  },
  {
    kind: 'discord',
    what: 'a Discord bot token',
    re: rx('[A-Za-z0-9_-]{24,28}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,50}'),
    random: true,
    digits: 2,
  },
  {
    kind: 'azure_client_secret',
    what: 'an Azure AD client secret',
    re: /(?<![\w~.-])[\w~.]{3}\dQ~[\w~.-]{31,34}(?![\w~.-])/g,
    random: true,
  },
];

/** Any PEM-style key block but a public one (`BEGIN PUBLIC KEY`, `BEGIN PGP PUBLIC KEY BLOCK`). */
const PEM_BEGIN = /-----BEGIN (?![A-Z0-9 _-]*PUBLIC)[A-Z0-9 _-]{0,100}KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END [A-Z0-9 _-]{0,100}KEY(?: BLOCK)?-----/;

/** Spans of every format rule, in rule order (the first rule to claim a span names it). */
export function formatSpans(text: string): CredentialSpan[] {
  const spans: CredentialSpan[] = [];
  for (const f of FORMATS) {
    for (const m of text.matchAll(f.re)) {
      const s = m[0];
      if (f.random && !looksRandom(s)) continue;
      if (f.varied && !looksVaried(s)) continue;
      if (f.check && !f.check(s)) continue;
      if (f.digits && (s.match(/\d/g)?.length ?? 0) < f.digits) continue;
      if (f.kind === 'aws_access_key' && s.endsWith('EXAMPLE')) continue;
      spans.push({ start: m.index, end: m.index + s.length, kind: f.kind });
    }
  }
  return spans;
}

/**
 * `header.payload[.signature]`: the payload is JSON too (`eyJ…`), or the header decodes to a JSON
 * object naming `alg`/`typ` (unsigned and non-JSON-payload tokens are still bearer tokens).
 */
function isJwt(token: string): boolean {
  const [header = '', payload = ''] = token.split('.');
  if (payload.startsWith('eyJ')) return true;
  try {
    const json = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as unknown;
    return typeof json === 'object' && json !== null && ('alg' in json || 'typ' in json);
  } catch {
    // Not JSON: `eyJ…` was a coincidence.
    return false;
  }
}

export function privateKeys(text: string): CredentialSpan[] {
  const out: CredentialSpan[] = [];
  for (const m of text.matchAll(PEM_BEGIN)) {
    const bodyStart = m.index + m[0].length;
    const rest = text.slice(bodyStart, bodyStart + 20_000);
    const end = PEM_END.exec(rest);
    const body = end ? rest.slice(0, end.index) : rest;
    // A real key has a base64 body; `…\nanything\n…` or an empty block is a placeholder.
    const base64 = body.replace(/\\[nr]|\s|["'+]/g, '').match(/[A-Za-z0-9+/=]{40,}/);
    if (!base64) continue;
    const stop = end ? bodyStart + end.index + end[0].length : bodyStart + body.length;
    out.push({ start: m.index, end: stop, kind: 'private_key' });
  }
  return out;
}
