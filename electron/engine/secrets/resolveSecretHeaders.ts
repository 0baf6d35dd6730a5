import { secretRef, type SecretStore } from './SecretStore.ts';

/** A header names a secret that is not set: systemic (the job pauses until someone sets it). */
export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
  /** The doctor's own code for "a login or key is missing" (rules/ownCodes.ts). */
  readonly code = 'auth_required';
}

/**
 * Header values written `secret:NAME` (jobs.yaml never holds the credential itself) replaced by
 * the secret from the store; other values pass through. Never log what this returns.
 */
export async function resolveSecretHeaders(
  headers: Readonly<Record<string, string>>,
  secrets: SecretStore,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = secretRef(v);
    if (name === undefined) {
      out[k] = v;
      continue;
    }
    const value = await secrets.get(name);
    if (!value)
      throw new MissingSecretError(
        `header \`${k}\` needs secret \`${name}\`, which is not set (${secrets.describe()})`,
      );
    out[k] = value;
  }
  return out;
}
