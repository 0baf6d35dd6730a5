/**
 * The key-name rule: a mapping key that names a credential (`password`, `api_key`,
 * `Authorization`, `client_secret`, `bot_token`, `SSHpassword` …) over a literal value. Keys
 * that only mention a credential word (`token_field`, `max_tokens`, `secret_name`, `key`) and
 * values that are references, placeholders, paths, flags or prose are not hits. Pure.
 */
import {
  isPathOrFlag,
  isPlaceholder,
  isProse,
  isReference,
  looksRandom,
} from './credentialValues.ts';

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

/** Does `key` name a credential, and is `value` a literal one (not a path, flag or reference)? */
export function keyNamesCredential(key: string, value: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => w.replace(/\d+$/, ''))
    .filter(Boolean);
  while (words.length > 1 && KEY_TAILS.has(words.at(-1) ?? '')) words.pop();
  const head = words.at(-1);
  if (head === undefined) return false;
  const pair = words.slice(-2).join(' ');
  if (words.slice(0, -1).some((w) => NON_SECRET_MODIFIERS.has(w))) return false;
  if (/^(?:csrf|xsrf|public|page|next|max|min|num)/.test(head)) return false;
  const strong =
    STRONG_KEY_HEADS.has(head) ||
    STRONG_KEY_SUFFIX.test(head) ||
    (words.length > 1 && STRONG_KEY_PAIRS.has(pair));
  const qualifier = head === 'key' ? words.at(-2) : head.slice(0, -3);
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
