/**
 * Credentials written inline. jobs.yaml must name secrets (`secret:NAME`), never hold them: the
 * config validator calls inlineCredential() on every string of a config (with the mapping key
 * it sits under) and refuses the config on a hit; the log/DB redactor calls findCredentials()
 * on free text. Pure: no I/O, no imports.
 *
 * Four kinds of evidence, most specific first:
 *  1. a well-known key format anywhere in the value (`ghp_…`, `sk-ant-…`, `AKIA…`, a JWT, a
 *     PEM private key block …), with a floor on length and character variety so words,
 *     identifiers and `xxxx` placeholders never match;
 *  2. an HTTP auth value (`Bearer …`, `Basic …`, `Token …`, `Bot …`, `Authorization: …`,
 *     `X-Api-Key: …`) or a `curl -u user:pass` whose token looks random (letters and digits);
 *  3. a URL with a password in its userinfo, or a query parameter named like a credential
 *     (`api_key=`, `token=`, `X-Amz-Signature=` …; `key=` only when the value looks random);
 *  4. the mapping key itself names a credential (`password`, `api_key`, `Authorization`,
 *     `client_secret`, `bot_token` …) and the value is a literal.
 *
 * Never a hit, decided on purpose (see test/fixtures/secrets/SOURCES.md for the evidence):
 *  - references: `secret:NAME` (also after a scheme, `Bearer secret:NAME`), `${VAR}`, `$VAR`,
 *    `{{ template }}`, `$(command)`, `<%= … %>`, `os.environ/NAME`, `env:NAME` — they are not
 *    the credential, and Tributary sends them literally, so the failure shows up as a 401;
 *  - placeholders: `<token>`, `[PASSWORD]`, `{password}`, `YOUR_API_KEY`, `REPLACE_ME…`,
 *    runs of one character (`xxxx`, `****`, `AAAA…`), AWS's documented `…EXAMPLE` keys;
 *  - under a credential key: file paths (`/run/secrets/db`), flags (`yes`, `true`, `1`) and
 *    dot paths into a JSON body (`fields: { token: data.token }`);
 *  - bare hex digests, UUIDs, git SHAs, lockfile `sha512-…` integrity strings, YouTube ids,
 *    pagination tokens (`pageToken=`), public keys (`public_key`, `publishable`), `csrf`
 *    tokens: not secrets, or not ours to judge without a key.
 * Literal words ARE hits where a credential is expected (`password: changeme`,
 * `https://user:pass@host`): they are credentials, however weak.
 */

export interface CredentialHit {
  kind: string;
  /** plain-language, e.g. "a GitHub token" */
  what: string;
}

export interface CredentialSpan {
  start: number;
  end: number;
  kind: string;
}

interface FormatRule {
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
const FORMATS: FormatRule[] = [
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

/** HTTP auth scheme + token anywhere in a text (`Authorization: Bearer …`, `-H "Token …"`). */
const AUTH_SCHEME =
  /(?<![A-Za-z])(Bearer|Basic|Token|Api-Token|Bot)[ \t]+([A-Za-z0-9._~+/=-]{8,})/gi;
/** A header line without a scheme: `Authorization: 5eb4…`, `X-Octopus-ApiKey: 3a16…`. */
const AUTH_HEADER =
  /(?<![\w-])((?:Proxy-)?Authorization|(?:X-[A-Za-z-]*?)?(?:Api-?Key|Api-Token|Auth-Token|Token))["']?[ \t]*:[ \t]*["']?([A-Za-z0-9._~+/=-]{8,})/gi;
/** `curl -u user:pass` / `--user 'user:pass'`: the shell word after the flag. */
const CLI_USER =
  /(?:^|\s)(?:-u|--user)(?:=|[ \t]+)("[^"\n]*"(?::"[^"\n]*")?|'[^'\n]*'|[^\s'"]+(?:'[^'\n]*'|"[^"\n]*")?)/g;
/** `OPENAI_API_KEY=…` / `NPM_TOKEN="…"` inside a command line or a pasted .env. */
const ENV_ASSIGNMENT =
  /(?<![\w-])[A-Z][A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY)[ \t]*=[ \t]*["']?([^\s"'\\]{8,})/g;
const URL_USERINFO = /\b[a-z][a-z0-9+.-]{1,20}:\/\/([^\s:/@'"<>]*):([^\s/'"<>]+)@(?=[\w[.%-])/gi;
const QUERY_PARAM = /[?&]([A-Za-z0-9_.-]+)=([^&#\s'"<>]*)/g;

/** Query parameter names that carry a credential (lowercased, `-`/`_`/`.` removed). */
const CREDENTIAL_PARAMS = new Set([
  'apikey',
  'accesstoken',
  'authtoken',
  'auth',
  'token',
  'privatetoken',
  'sessiontoken',
  'secret',
  'clientsecret',
  'password',
  'passwd',
  'pwd',
  'sig',
  'signature',
  'xamzsignature',
  'xamzcredential',
  'xamzsecuritytoken',
  'xgoogsignature',
  'awsaccesskeyid',
]);
/** Token-named parameters that only page through results or guard forms. */
const NOT_CREDENTIAL_PARAM = /page|next|continuation|cursor|csrf|xsrf|sync|resume|bypass/;

/** Key words (split on case and separators) that name a credential by themselves. */
const STRONG_KEY_HEADS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'apitoken',
  'authorization',
  'cookie',
  'clientsecret',
  'privatekey',
  'secretkey',
  'authtoken',
  'accesstoken',
  'bearer',
  'passwords',
  'apikeys',
]);
/** A single word ending so names a credential too (`SSHpassword`, `githubtoken`, `dbpasswd`). */
const STRONG_KEY_SUFFIX = /(?:password|passwd|secret|token|apikey|secretkey|privatekey)$/;
/** Two-word tails that name a credential: `api_key`, `x-api-key`, `private_key` … */
const STRONG_KEY_PAIRS = new Set([
  'api key',
  'private key',
  'secret key',
  'access key',
  'subscription key',
  'signing key',
  'master key',
  'account key',
  'license key',
  'client secret',
  'auth token',
  'access token',
]);
/** Words after the head that still leave it the head (`secret_key_base`, `token_value`). */
const KEY_TAILS = new Set(['base', 'value', 'string', 'raw', 'b64', 'base64', 'hex']);
/** Heads that only count with a random-looking value (`user_auth`, `credentials`, `github_pat`). */
const WEAK_KEY_HEADS = new Set(['auth', 'credential', 'credentials', 'pat']);
/**
 * `<something>_key` (`aws_key`, `slackKey`, `GITLAB_KEY`) is a vendor key when its value looks
 * random, unless the qualifier makes it a lookup key (`sort_key`, `cache_key`, `primary_key`);
 * `key` alone is an item key and never judged.
 */
const LOOKUP_KEY_QUALIFIERS = new Set([
  'primary',
  'foreign',
  'sort',
  'partition',
  'cache',
  'idempotency',
  'dedupe',
  'dedup',
  'group',
  'item',
  'row',
  'hash',
  'lookup',
  'map',
  'object',
  'bucket',
  'range',
  'shard',
  'routing',
  'message',
  'event',
  'index',
  'unique',
  'natural',
  'composite',
  'public',
  'publishable',
  'ssh',
  'gpg',
  'pgp',
  'schema',
  'sequence',
  'hot',
  'idx',
  'pub',
]);
/** A word before the head that makes it a non-secret (`public_key`, `csrf_token`, `page_token`). */
const NON_SECRET_MODIFIERS = new Set([
  'public',
  'publishable',
  'csrf',
  'xsrf',
  'page',
  'next',
  'continuation',
  'cursor',
]);

/** A credential written inline: judged from the mapping key it sits under (may be undefined for list items) and its string value. `secret:NAME` values are never hits. */
export function inlineCredential(
  key: string | undefined,
  value: string,
): CredentialHit | undefined {
  if (!value.trim() || isSecretRef(value.trim())) return undefined;
  const span = scan(value)[0];
  if (span) return { kind: span.kind, what: WHAT[span.kind] ?? 'a credential' };
  if (key !== undefined && keyNamesCredential(key, value)) {
    return { kind: 'key_name', what: `a literal value under \`${key}\`, which names a credential` };
  }
  return undefined;
}

/** Well-known key formats anywhere inside a longer text (for redaction): each match's start/end and kind. */
export function findCredentials(text: string): { start: number; end: number; kind: string }[] {
  return scan(text);
}

const WHAT: Record<string, string> = {
  ...Object.fromEntries(FORMATS.map((f) => [f.kind, f.what])),
  private_key: 'a private key block',
  http_auth: 'an HTTP Authorization value',
  cli_user_password: 'a password passed with `-u user:password`',
  url_userinfo: 'a password inside a URL',
  url_query: 'a credential in a URL query string',
  env_assignment: 'a credential assigned to an environment variable',
};

/** Every credential span in `text`, in order, overlaps merged (the earlier kind wins). */
function scan(text: string): CredentialSpan[] {
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
  spans.push(...privateKeys(text), ...authValues(text), ...cliUsers(text), ...urlSecrets(text));
  spans.push(...envAssignments(text));
  return merge(spans);
}

/**
 * `header.payload[.signature]`: the payload is JSON too (`eyJ…`), or the header decodes to a JSON
 * object naming `alg`/`typ` (unsigned and non-JSON-payload tokens are still bearer tokens).
 */
function isJwt(token: string): boolean {
  const [header, payload] = token.split('.');
  if (payload.startsWith('eyJ')) return true;
  try {
    const json = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as unknown;
    return typeof json === 'object' && json !== null && ('alg' in json || 'typ' in json);
  } catch {
    // Not JSON: `eyJ…` was a coincidence.
    return false;
  }
}

function privateKeys(text: string): CredentialSpan[] {
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

function authValues(text: string): CredentialSpan[] {
  const out: CredentialSpan[] = [];
  for (const re of [AUTH_SCHEME, AUTH_HEADER]) {
    for (const m of text.matchAll(re)) {
      const token = m[2];
      const scheme = m[1].toLowerCase();
      const ok = scheme === 'basic' ? isBasicCredential(token) : looksLikeToken(token);
      if (!ok || isPlaceholder(token)) continue;
      const start = m.index + m[0].length - token.length;
      out.push({ start, end: start + token.length, kind: 'http_auth' });
    }
  }
  return out;
}

function cliUsers(text: string): CredentialSpan[] {
  const out: CredentialSpan[] = [];
  for (const m of text.matchAll(CLI_USER)) {
    const word = m[1].replace(/["']/g, '');
    if (/[<>[\]]/.test(word)) continue; // `-u <user:password>`, `--user neo4j:[PASSWORD]`
    const colon = word.indexOf(':');
    if (colon < 0) continue;
    // `user:` with an empty password puts the secret in the user field (API-key-as-username).
    const secret = word.slice(colon + 1) || word.slice(0, colon);
    if (secret.length < 4 || isReference(secret) || isPlaceholder(secret)) continue;
    const at = text.indexOf(secret, m.index);
    out.push({ start: at, end: at + secret.length, kind: 'cli_user_password' });
  }
  return out;
}

function envAssignments(text: string): CredentialSpan[] {
  const out: CredentialSpan[] = [];
  for (const m of text.matchAll(ENV_ASSIGNMENT)) {
    const value = m[1];
    if (!looksLikeToken(value) || isReference(value) || isPlaceholder(value)) continue;
    const start = m.index + m[0].length - value.length;
    out.push({ start, end: start + value.length, kind: 'env_assignment' });
  }
  return out;
}

function urlSecrets(text: string): CredentialSpan[] {
  const out: CredentialSpan[] = [];
  for (const m of text.matchAll(URL_USERINFO)) {
    const password = m[2];
    if (password.length < 3 || isReference(password) || isPlaceholder(password)) continue;
    const start = m.index + m[0].length - 1 - password.length;
    out.push({ start, end: start + password.length, kind: 'url_userinfo' });
  }
  for (const m of text.matchAll(QUERY_PARAM)) {
    const name = m[1].toLowerCase().replace(/[-_.]/g, '');
    const value = m[2];
    if (!value || isReference(decodeSafe(value)) || isPlaceholder(decodeSafe(value))) continue;
    const named =
      (CREDENTIAL_PARAMS.has(name) ||
        /(?:token|secret|pass|passwd|pwd|password|apikey|signature|accesskey|secretkey)$/.test(
          name,
        )) &&
      !NOT_CREDENTIAL_PARAM.test(name);
    // A password parameter holds any literal; a token-ish one must look like a token.
    const ok = !named
      ? name === 'key' && value.length >= 16 && looksRandom(value)
      : /(?:pass|passwd|pwd|password)$/.test(name)
        ? value.length >= 6
        : value.length >= 6 && /[0-9]/.test(value) && /[A-Za-z]/.test(value);
    if (!ok) continue;
    const start = m.index + m[0].length - value.length;
    out.push({ start, end: start + value.length, kind: 'url_query' });
  }
  return out;
}

function merge(spans: CredentialSpan[]): CredentialSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: CredentialSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** Does `key` name a credential, and is `value` a literal one (not a path, flag or reference)? */
function keyNamesCredential(key: string, value: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => w.replace(/\d+$/, ''))
    .filter(Boolean);
  while (words.length > 1 && KEY_TAILS.has(words[words.length - 1])) words.pop();
  if (words.length === 0) return false;
  const head = words[words.length - 1];
  const pair = words.slice(-2).join(' ');
  if (words.slice(0, -1).some((w) => NON_SECRET_MODIFIERS.has(w))) return false;
  if (/^(?:csrf|xsrf|public|page|next|max|min|num)/.test(head)) return false;
  const strong =
    STRONG_KEY_HEADS.has(head) ||
    STRONG_KEY_SUFFIX.test(head) ||
    (words.length > 1 && STRONG_KEY_PAIRS.has(pair));
  const qualifier = head === 'key' ? words[words.length - 2] : head.slice(0, -3);
  const vendorKey =
    (head === 'key' || /.key$/.test(head)) &&
    qualifier !== undefined &&
    !LOOKUP_KEY_QUALIFIERS.has(qualifier);
  const weak = WEAK_KEY_HEADS.has(head) || vendorKey;
  if (!strong && !weak) return false;
  const v = value.trim();
  if (isReference(v) || isPlaceholder(v) || isPathOrFlag(v) || isProse(v)) return false;
  // A weak head needs a bare random token: `aws_key: PA3Xsx…`, not `auth: mongodb://host/db`.
  return strong || (v.length >= 12 && looksRandom(v) && /^[A-Za-z0-9._~+/=-]+$/.test(v));
}

/** `secret:NAME`, also after an auth scheme (`Bearer secret:NAME`). */
function isSecretRef(v: string): boolean {
  return /^(?:(?:Bearer|Basic|Token|Bot)\s+)?secret:[\w.-]+$/i.test(v);
}

/**
 * `secret:NAME`, `${VAR}`, `$VAR` (alone or leading a path), `{{ x }}`, `$(cmd)`, `<%= x %>`,
 * `process.env.X`, `os.environ/X`, `env:X`.
 */
function isReference(v: string): boolean {
  return (
    isSecretRef(v) ||
    /\$\{[^}]*\}|\{\{[^}]*\}\}|\$\([^)]*\)|<%=?[^%]*%>/.test(v) ||
    /\bprocess\.env\.|\bos\.(?:environ|getenv)\b|\bENV\[/.test(v) ||
    /^\$\$?[A-Za-z_]\w*(?:$|[/:])/.test(v) ||
    /^%[A-Za-z_]\w*%$/.test(v) ||
    /^(?:os\.environ\/|env:)[A-Za-z_]\w*$/.test(v)
  );
}

/**
 * `<token>`, `[PASSWORD]`, `{password}`, `{get_pat(name)}`, `YOUR_KEY`, `REPLACE_WITH_…`, `xxxx`,
 * `****`, AWS's documented `…EXAMPLE…` keys.
 */
function isPlaceholder(v: string): boolean {
  return (
    /^(?:<[^>]*>|&lt;.*&gt;|\[[^\]]*\]|\{[^{}\d]*\}|\{[^{}]*[(). ][^{}]*\})$/.test(v) ||
    /^(?:your|replace|insert|enter|add)[_ -]/i.test(v) ||
    /_HERE$|^[A-Z][A-Z0-9]*(?:[_-][A-Z0-9]+)*[_-](?:KEY|TOKEN|SECRET|PASSWORD|PASS|ID)$/.test(v) ||
    PLACEHOLDER_RUN.test(v) ||
    /^[x*.#•-]+$/i.test(v) ||
    /EXAMPLE/.test(v)
  );
}

/**
 * Under a credential key these are not the credential: a path, a flag or permission word, a
 * number, a JSON dot path, a CSS selector, an ARN, or a URL (its userinfo and query were judged).
 */
function isPathOrFlag(v: string): boolean {
  return (
    /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)\S*$/.test(v) ||
    /^(?:yes|no|true|false|on|off|none|null|read|write|\d{1,3})$/i.test(v) ||
    /^[#.][A-Za-z][\w-]*$|^(?:arn|urn):|^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v) ||
    /^\$?\.?[A-Za-z_][A-Za-z_]*(?:\.[A-Za-z_][A-Za-z_]*|\[\d+\])+$/.test(v)
  );
}

/**
 * `xxxxxxxx`, `********`, `AAAAAAAA` (8 of one letter or filler symbol) or a short unit typed
 * over and over (`abababab…`, `asdfasdf…`). Digits and base64's `/+=` do repeat in real keys
 * (Slack ids, AWS session tokens' `//////////`).
 */
const PLACEHOLDER_RUN = /([A-Za-z*#.•_-])\1{7,}|([A-Za-z][A-Za-z0-9]{1,3})\2{4,}/;

/** Three or more words of letters only: an instruction (`Get this from elsewhere`), not a key. */
function isProse(v: string): boolean {
  return /^[A-Za-z][A-Za-z,.'’!?-]*(?:\s+[A-Za-z][A-Za-z,.'’!?-]*){2,}$/.test(v);
}

/** At least 8 characters, 6 distinct, no placeholder run. */
function looksVaried(s: string): boolean {
  return s.length >= 8 && new Set(s).size >= 6 && !PLACEHOLDER_RUN.test(s);
}

/**
 * Random-looking: at least 8 characters, 6 distinct, no run of 8 of one letter or symbol
 * (`xxxx…`, `####…`). Digit runs are allowed: Slack ids repeat a digit a dozen times.
 */
function looksRandom(s: string): boolean {
  if (!looksVaried(s)) return false;
  return /[0-9]/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s) && s.length >= 20);
}

/** A token after an auth scheme: random-looking and holding both letters and digits. */
function looksLikeToken(t: string): boolean {
  return looksRandom(t) && /[0-9]/.test(t) && /[A-Za-z]/.test(t);
}

/** `Basic` carries base64("user:password"); prose ("Basic authentication") does not decode so. */
function isBasicCredential(t: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return false;
  return Buffer.from(t, 'base64').toString('latin1').includes(':');
}

function decodeSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    // Malformed %-escapes: judge the raw text.
    return v;
  }
}
