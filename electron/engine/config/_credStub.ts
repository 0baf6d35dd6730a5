// TEMPORARY until secrets/credentialPatterns.ts lands.
export function inlineCredential(
  key: string | undefined,
  value: string,
): { kind: string; what: string } | undefined {
  if (value.startsWith('secret:')) return undefined;
  if (/^[a-z]+:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value))
    return { kind: 'url', what: 'a password in a URL' };
  if (
    /\b(sk-[A-Za-z0-9_-]{20,}|ghp_[A-Za-z0-9]{36}|AKIA[0-9A-Z]{16}|xox[bpas]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})/.test(
      value,
    )
  )
    return { kind: 'token', what: 'an API token' };
  if (/^(bearer|basic|token)\s+\S{8,}/i.test(value))
    return { kind: 'bearer', what: 'an Authorization value' };
  if (
    key &&
    /^(authorization|x-api-key|api[-_]?key|apikey|token|access[-_]?token|password|passwd|secret|client[-_]?secret)$/i.test(
      key,
    ) &&
    value
  )
    return { kind: 'key', what: `a credential (\`${key}\`)` };
  if (/[?&](api_?key|token|access_token|password|secret)=[^&\s]+/i.test(value))
    return { kind: 'query', what: 'a credential in a URL query' };
  return undefined;
}
