/**
 * Error messages sometimes quote credentials (a URL with `?key=`, "Incorrect API key
 * provided: sk-…", an Authorization header). Secrets never reach the database, logs or the
 * LLM, so every message the doctor stores or sends passes through here first.
 */
const SECRETS: [RegExp, string][] = [
  [/\b(sk|pk|rk|gsk|xox[abp])-[A-Za-z0-9_*-]{8,}/g, '$1-[redacted]'],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [
    /([?&](?:api[_-]?key|key|token|access_token|auth|sig|signature|password)=)[^&\s'"]+/gi,
    '$1[redacted]',
  ],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1[redacted]@'],
  [/\b(AIza[0-9A-Za-z_-]{20,}|ghp_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '[redacted]'],
];

export function redact(text: string): string {
  let s = text;
  for (const [re, rep] of SECRETS) s = s.replace(re, rep);
  return s;
}
