import { ApiError } from '../api/contract.ts';
import { envVarsFor, type SecretStore } from './SecretStore.ts';
import type { SecretStatus, SecretStatusResult } from './secretTypes.ts';

/**
 * EngineApi's secret commands, kept here so the facade stays one line per method. Values go
 * in and never come out: status reports only whether a secret is set and where from.
 */
export async function setSecret(
  store: SecretStore,
  input: { name: string; value: string },
): Promise<{ set: true; source: 'keychain' }> {
  if (!store.set) throw readOnly(store, input.name);
  try {
    await store.set(input.name, input.value);
  } catch (err) {
    // The keychain refused (missing, locked, no D-Bus): the caller gets the reason and the
    // environment variable to use instead; the value itself is not in the message.
    throw new ApiError('unavailable', err instanceof Error ? err.message : String(err));
  }
  return { set: true, source: 'keychain' };
}

export async function deleteSecret(
  store: SecretStore,
  input: { name: string },
): Promise<{ deleted: boolean }> {
  if (!store.delete) throw readOnly(store, input.name);
  try {
    return { deleted: await store.delete(input.name) };
  } catch (err) {
    // Same as setSecret: the keychain is unavailable and the message says what to do.
    throw new ApiError('unavailable', err instanceof Error ? err.message : String(err));
  }
}

/** Well-known names are always listed, so a settings screen can offer them before they exist. */
export const DEFAULT_SECRET_NAMES = ['openai', 'anthropic', 'groq', 'openrouter'];

export async function secretStatus(
  store: SecretStore,
  input: { names?: string[] | undefined },
  referenced: string[] = [],
): Promise<SecretStatusResult> {
  const names =
    input.names ??
    [
      ...new Set([...DEFAULT_SECRET_NAMES, ...referenced, ...((await store.names?.()) ?? [])]),
    ].sort();
  const secrets: SecretStatus[] = [];
  for (const name of names) {
    if (store.status) secrets.push(await store.status(name));
    else {
      const set = (await store.get(name)) !== undefined;
      secrets.push({ name, set, source: set ? 'env' : null });
    }
  }
  return { store: store.describe(), warning: store.warning ?? null, secrets };
}

function readOnly(store: SecretStore, name: string): ApiError {
  return new ApiError(
    'unavailable',
    `secrets are read from ${store.describe()} here and cannot be stored; set ${envVarsFor(name)[0]} in the environment`,
  );
}
