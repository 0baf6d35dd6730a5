/**
 * Node-free types of the secret commands (the renderer imports contract.ts, which imports
 * these). A status never carries a value: secrets are write-only across every transport.
 */
export type SecretSource = 'keychain' | 'env';

export interface SecretStatus {
  name: string;
  set: boolean;
  /** Where the value would be read from; null when it is not set anywhere. */
  source: SecretSource | null;
}

export interface SecretStatusResult {
  /** Human description of the store, e.g. "OS keychain (service tributary), then environment". */
  store: string;
  /** Set when the keychain failed and secrets come from environment variables only. */
  warning: string | null;
  secrets: SecretStatus[];
}
