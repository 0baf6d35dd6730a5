/**
 * Credentials written inline. jobs.yaml must name secrets (`secret:NAME`), never hold them: the
 * config validator calls inlineCredential() on every string of a config (with the mapping key
 * it sits under) and refuses the config on a hit; the log/DB redactor calls findCredentials()
 * on free text. Pure, no I/O. Key formats live in credentialFormats.ts, the key-name rule in
 * credentialKeys.ts, and what a value looks like (reference, placeholder, random…) in
 * credentialValues.ts; this file holds the API and the free-text rules.
 *
 * Kinds of evidence, most specific first:
 *  1. a well-known key format anywhere in the value (`ghp_…`, `sk-ant-…`, `AKIA…`, a JWT, a
 *     PEM private key block …), with a floor on length and character variety so words,
 *     identifiers and `xxxx` placeholders never match;
 *  2. an HTTP auth value (`Bearer …`, `Basic …`, `Token …`, `Bot …`, `Authorization: …`,
 *     `X-Api-Key: …`) or a `curl -u user:pass` whose token looks random (letters and digits);
 *  3. a URL with a password in its userinfo, or a query parameter named like a credential
 *     (`api_key=`, `token=`, `X-Amz-Signature=` …; `key=` only when the value looks random);
 *  4. `NAME_TOKEN=…` / `API_KEY=…` assigned inside a command line or a pasted .env;
 *  5. the mapping key itself names a credential (`password`, `api_key`, `Authorization`,
 *     `client_secret`, `bot_token`, `GITLAB_KEY` …) and the value is a literal.
 *
 * Never a hit, decided on purpose (see test/fixtures/secrets/SOURCES.md for the evidence):
 *  - references: `secret:NAME` (also after a scheme, `Bearer secret:NAME`), `${VAR}`, `$VAR`,
 *    `{{ template }}`, `$(command)`, `<%= … %>`, `os.environ/NAME`, `env:NAME` — they are not
 *    the credential, and Tributary sends them literally, so the failure shows up as a 401;
 *  - placeholders: `<token>`, `[PASSWORD]`, `{password}`, `YOUR_API_KEY`, `REPLACE_ME…`,
 *    runs of one character (`xxxx`, `****`, `AAAA…`) or unit (`abab…`, `asdfasdf…`), AWS's
 *    documented `…EXAMPLE…` keys;
 *  - under a credential key: file paths (`/run/secrets/db`), flags (`yes`, `true`, `1`),
 *    dot paths into a JSON body (`fields: { token: data.token }`), CSS selectors, ARNs, URLs
 *    without a password, and prose (`Get this from elsewhere`);
 *  - bare hex digests, UUIDs, git SHAs, lockfile `sha512-…` integrity strings, YouTube ids,
 *    pagination tokens (`pageToken=`), public keys (`public_key`, `publishable`), `csrf`
 *    tokens: not secrets, or not ours to judge without a key.
 * Literal words ARE hits where a credential is expected (`password: changeme`,
 * `https://user:pass@host`): they are credentials, however weak.
 */
import { keyNamesCredential } from './credentialKeys.ts';
import { type CredentialSpan, FORMATS, formatSpans, privateKeys } from './credentialFormats.ts';
import {
  decodeSafe,
  isBasicCredential,
  isPlaceholder,
  isReference,
  isSecretRef,
  looksLikeToken,
  looksRandom,
} from './credentialValues.ts';

export interface CredentialHit {
  kind: string;
  /** plain-language, e.g. "a GitHub token" */
  what: string;
}

export type { CredentialSpan } from './credentialFormats.ts';

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
  return merge([
    ...formatSpans(text),
    ...privateKeys(text),
    ...authValues(text),
    ...cliUsers(text),
    ...urlSecrets(text),
    ...envAssignments(text),
  ]);
}

function authValues(text: string): CredentialSpan[] {
  const out: CredentialSpan[] = [];
  for (const re of [AUTH_SCHEME, AUTH_HEADER]) {
    for (const m of text.matchAll(re)) {
      const token = m[2] ?? '';
      const scheme = (m[1] ?? '').toLowerCase();
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
    const word = (m[1] ?? '').replace(/["']/g, '');
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
    const value = m[1] ?? '';
    if (!looksLikeToken(value) || isReference(value) || isPlaceholder(value)) continue;
    const start = m.index + m[0].length - value.length;
    out.push({ start, end: start + value.length, kind: 'env_assignment' });
  }
  return out;
}

function urlSecrets(text: string): CredentialSpan[] {
  const out: CredentialSpan[] = [];
  for (const m of text.matchAll(URL_USERINFO)) {
    const password = m[2] ?? '';
    if (password.length < 3 || isReference(password) || isPlaceholder(password)) continue;
    const start = m.index + m[0].length - 1 - password.length;
    out.push({ start, end: start + password.length, kind: 'url_userinfo' });
  }
  for (const m of text.matchAll(QUERY_PARAM)) {
    const name = (m[1] ?? '').toLowerCase().replace(/[-_.]/g, '');
    const value = m[2] ?? '';
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
