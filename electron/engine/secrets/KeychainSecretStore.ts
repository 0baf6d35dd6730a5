import type { KeytarLike } from './keytarLike.ts';
import { handedOut, type SecretStore } from './SecretStore.ts';

/**
 * Secrets in the OS keychain (macOS Keychain, Windows Credential Vault, libsecret on Linux)
 * under one service name, one account per secret name. Every method may reject with a plain
 * Error (no D-Bus, no Secret Service, locked collection): callers treat any rejection as
 * "keychain unavailable" — see ResilientSecretStore.
 */
export class KeychainSecretStore implements SecretStore {
  constructor(
    private readonly keytar: KeytarLike,
    readonly service = 'tributary',
  ) {}

  async get(name: string): Promise<string | undefined> {
    const value = await this.keytar.getPassword(this.service, name);
    return value === null ? undefined : handedOut(name, value);
  }

  async set(name: string, value: string): Promise<void> {
    await this.keytar.setPassword(this.service, name, value);
  }

  async delete(name: string): Promise<boolean> {
    return this.keytar.deletePassword(this.service, name);
  }

  /** Names only: the values findCredentials returns are dropped here, never passed on. */
  async names(): Promise<string[]> {
    return (await this.keytar.findCredentials(this.service)).map((c) => c.account).sort();
  }

  describe(): string {
    return `OS keychain (service "${this.service}")`;
  }
}
