import { KeychainSecretStore } from './KeychainSecretStore.ts';
import { loadKeytar, type KeytarLike } from './keytarLike.ts';
import { EnvSecretStore, envVarsFor, type SecretStore } from './SecretStore.ts';
import type { SecretStatus } from './secretTypes.ts';

/** Raised by set/delete when there is no keychain to write to (env vars are read-only). */
export class SecretStoreUnavailableError extends Error {
  override readonly name = 'SecretStoreUnavailableError';
}

export interface ResilientSecretStoreOptions {
  env?: NodeJS.ProcessEnv;
  service?: string;
  /** Loads keytar; injectable so tests can simulate a missing module or a broken D-Bus. */
  loadKeytar?: () => Promise<KeytarLike>;
  /** Called once, the first time the keychain fails: the shell shows it, the CLI logs it. */
  onWarning?: (message: string) => void;
}

/**
 * The keychain first, environment variables second. keytar is loaded lazily on first use;
 * any keychain failure — module missing, no D-Bus, no Secret Service, locked collection —
 * switches this store to environment variables for the rest of the session and raises one
 * visible warning (retrying a dead D-Bus on every LLM call would only add latency). Reads keep
 * working from the environment; writes fail with a message naming the variable to set.
 */
export class ResilientSecretStore implements SecretStore {
  private readonly envStore: EnvSecretStore;
  private keychain: Promise<KeychainSecretStore | undefined> | undefined;
  private failure: string | null = null;

  constructor(private readonly options: ResilientSecretStoreOptions = {}) {
    this.envStore = new EnvSecretStore(options.env ?? process.env);
  }

  /** Why the keychain is not used, or null while it works (or has not been tried yet). */
  get warning(): string | null {
    return this.failure;
  }

  private open(): Promise<KeychainSecretStore | undefined> {
    this.keychain ??= (this.options.loadKeytar ?? loadKeytar)().then(
      (keytar) => new KeychainSecretStore(keytar, this.options.service),
      (err: unknown) => {
        // Module missing or failed to load its native part: environment variables only.
        this.degrade(`keytar could not be loaded (${errorMessage(err)})`);
        return undefined;
      },
    );
    return this.keychain;
  }

  private degrade(reason: string): void {
    if (this.failure) return;
    this.failure = `OS keychain unavailable: ${reason}. Secrets are read from environment variables (TRIBUTARY_SECRET_<NAME>) instead.`;
    this.keychain = Promise.resolve(undefined);
    this.options.onWarning?.(this.failure);
  }

  /** Runs a keychain operation; a rejection degrades the store and yields `fallback`. */
  private async withKeychain<T>(
    op: (k: KeychainSecretStore) => Promise<T>,
    fallback: T,
  ): Promise<T> {
    const keychain = await this.open();
    if (!keychain) return fallback;
    try {
      return await op(keychain);
    } catch (err) {
      // Any keytar rejection means "keychain unavailable" (its errors carry no code).
      this.degrade(errorMessage(err));
      return fallback;
    }
  }

  async get(name: string): Promise<string | undefined> {
    const fromKeychain = await this.withKeychain((k) => k.get(name), undefined);
    return fromKeychain ?? this.envStore.get(name);
  }

  async set(name: string, value: string): Promise<void> {
    const ok = await this.withKeychain(async (k) => {
      await k.set(name, value);
      return true;
    }, false);
    if (!ok) throw this.unavailable(name);
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.withKeychain(async (k) => ({ deleted: await k.delete(name) }), null);
    if (!result) throw this.unavailable(name);
    return result.deleted;
  }

  async status(name: string): Promise<SecretStatus> {
    const inKeychain = await this.withKeychain(
      async (k) => (await k.get(name)) !== undefined,
      false,
    );
    if (inKeychain) return { name, set: true, source: 'keychain' };
    const inEnv = (await this.envStore.get(name)) !== undefined;
    return { name, set: inEnv, source: inEnv ? 'env' : null };
  }

  /** Names stored in the keychain (values are never listed). */
  async names(): Promise<string[]> {
    return this.withKeychain((k) => k.names(), []);
  }

  describe(): string {
    return this.failure
      ? this.envStore.describe()
      : `OS keychain (service "${this.options.service ?? 'tributary'}"), then ${this.envStore.describe()}`;
  }

  private unavailable(name: string): SecretStoreUnavailableError {
    return new SecretStoreUnavailableError(
      `${this.failure ?? 'OS keychain unavailable'} To provide \`${name}\`, set ${envVarsFor(name)[0]} in the environment.`,
    );
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
