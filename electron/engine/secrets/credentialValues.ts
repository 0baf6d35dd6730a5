/**
 * What a candidate secret looks like: the value-level judgements every credential rule shares
 * (is it a reference, a placeholder, a path or flag, prose, random-looking). Pure.
 */

/** `secret:NAME`, also after an auth scheme (`Bearer secret:NAME`). */
export function isSecretRef(v: string): boolean {
  return /^(?:(?:Bearer|Basic|Token|Bot)\s+)?secret:[\w.-]+$/i.test(v);
}

/**
 * `secret:NAME`, `${VAR}`, `$VAR` (alone or leading a path), `{{ x }}`, `$(cmd)`, `<%= x %>`,
 * `process.env.X`, `os.environ/X`, `env:X`.
 */
export function isReference(v: string): boolean {
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
export function isPlaceholder(v: string): boolean {
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
export function isPathOrFlag(v: string): boolean {
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
export function isProse(v: string): boolean {
  return /^[A-Za-z][A-Za-z,.'’!?-]*(?:\s+[A-Za-z][A-Za-z,.'’!?-]*){2,}$/.test(v);
}

/** At least 8 characters, 6 distinct, no placeholder run. */
export function looksVaried(s: string): boolean {
  return s.length >= 8 && new Set(s).size >= 6 && !PLACEHOLDER_RUN.test(s);
}

/**
 * Random-looking: at least 8 characters, 6 distinct, no run of 8 of one letter or symbol
 * (`xxxx…`, `####…`). Digit runs are allowed: Slack ids repeat a digit a dozen times.
 */
export function looksRandom(s: string): boolean {
  if (!looksVaried(s)) return false;
  return /[0-9]/.test(s) || (/[a-z]/.test(s) && /[A-Z]/.test(s) && s.length >= 20);
}

/** A token after an auth scheme: random-looking and holding both letters and digits. */
export function looksLikeToken(t: string): boolean {
  return looksRandom(t) && /[0-9]/.test(t) && /[A-Za-z]/.test(t);
}

/** `Basic` carries base64("user:password"); prose ("Basic authentication") does not decode so. */
export function isBasicCredential(t: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return false;
  return Buffer.from(t, 'base64').toString('latin1').includes(':');
}

export function decodeSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    // Malformed %-escapes: judge the raw text.
    return v;
  }
}
