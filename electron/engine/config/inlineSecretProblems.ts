import { inlineCredential } from '../secrets/credentialPatterns.ts';
import { secretRef } from '../secrets/SecretStore.ts';
import type { PathProblem } from './describeIssue.ts';

/**
 * AWS's documented example keys (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/…EXAMPLEKEY`):
 * redaction lets them pass as placeholders, but a config that holds one was written with a
 * key in it, and the real key goes the same way — so the file is refused all the same.
 */
const AWS_EXAMPLE = /\b(?:AKIA|ASIA)[0-9A-Z]{8,12}EXAMPLE\b|[A-Za-z0-9/+]{20,}EXAMPLEKEY\b/;

/**
 * jobs.yaml never holds a credential: it is shared, synced and pasted into bug reports, and
 * whatever it holds reaches settings views and exports. Every string in the file — header
 * values, URLs (`user:pass@`, `?api_key=`), params, prompts — is checked, not just `api_key`.
 */
export function inlineSecretProblems(raw: unknown): PathProblem[] {
  const out: PathProblem[] = [];
  const walk = (v: unknown, path: (string | number)[], key: string | undefined) => {
    if (typeof v === 'string') {
      const ref = secretRef(v);
      // `secret:NAME` is a reference, unless NAME is the credential itself pasted after it.
      const hit =
        ref !== undefined
          ? inlineCredential(undefined, ref)
          : (inlineCredential(key, v) ??
            (AWS_EXAMPLE.test(v) ? { what: "AWS's documented example access key" } : undefined));
      if (hit && ref !== undefined)
        out.push({
          path,
          message: `\`secret:\` is followed by what looks like ${hit.what}, not a name: store the key in the keychain or TRIBUTARY_SECRET_<NAME> under a short name and write \`secret:<NAME>\``,
        });
      else if (hit) out.push({ path, message: messageFor(hit.what, v) });
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
