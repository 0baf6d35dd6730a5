import { inlineCredential } from '../secrets/credentialPatterns.ts';
import type { PathProblem } from './describeIssue.ts';

/**
 * jobs.yaml never holds a credential: it is shared, synced and pasted into bug reports, and
 * whatever it holds reaches settings views and exports. Every string in the file — header
 * values, URLs (`user:pass@`, `?api_key=`), params, prompts — is checked, not just `api_key`.
 */
export function inlineSecretProblems(raw: unknown): PathProblem[] {
  const out: PathProblem[] = [];
  const walk = (v: unknown, path: (string | number)[], key: string | undefined) => {
    if (typeof v === 'string') {
      const hit = inlineCredential(key, v);
      if (hit) out.push({ path, message: messageFor(hit.what, v) });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], key));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, [...path, k], k);
  };
  walk(raw, [], undefined);
  return out;
}

function messageFor(what: string, value: string): string {
  const where = /^[a-z][a-z0-9+.-]*:\/\//i.test(value)
    ? 'take it out of the URL and send it as a header whose value is `secret:NAME`'
    : 'write `secret:NAME` here instead';
  return `this looks like ${what} written into jobs.yaml; store it in the keychain (desktop Settings → API keys) or the environment variable TRIBUTARY_SECRET_<NAME>, and ${where}`;
}
