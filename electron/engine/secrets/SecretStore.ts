import { redactor } from './Redactor.ts';
import type { SecretStatus } from './secretTypes.ts';

/**
 * Where API keys come from. jobs.yaml never holds a secret: a provider names one
 * (`api_key: secret:openai`) and a SecretStore supplies it — the OS keychain on the desktop,
 * environment variables everywhere (TRIBUTARY_SECRET_OPENAI, or the provider's usual
 * variable such as OPENAI_API_KEY). Values never reach the database, logs or events.
 */
export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  set?(name: string, value: string): Promise<void>;
  delete?(name: string): Promise<boolean>;
  /** Whether a secret is set and where from — never its value. */
  status?(name: string): Promise<SecretStatus>;
  /** Names the store holds itself (the keychain); environment names are not enumerated. */
  names?(): Promise<string[]>;
  /** Set when the preferred store failed and a fallback is in use. */
  readonly warning?: string | null;
  /** Human description of where secrets are read from (shown by `jobctl diagnose`). */
  describe(): string;
}

/** Conventional environment variables per well-known secret name. */
const WELL_KNOWN: Record<string, string[]> = {
  openai: ['OPENAI_API_KEY'],
  groq: ['GROQ_API_KEY'],
  openrouter: ['OPENROUTER_API_KEY'],
  anthropic: ['ANTHROPIC_API_KEY'],
};

export function envVarsFor(name: string): string[] {
  const norm = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return [`TRIBUTARY_SECRET_${norm}`, ...(WELL_KNOWN[name.toLowerCase()] ?? [])];
}

export class EnvSecretStore implements SecretStore {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async get(name: string): Promise<string | undefined> {
    for (const v of envVarsFor(name)) {
      const value = this.env[v];
      if (value) return handedOut(name, value);
    }
    return undefined;
  }

  describe(): string {
    return 'environment variables (TRIBUTARY_SECRET_<NAME>)';
  }
}

/**
 * Every value a store hands out is registered with the process's redactor first, so from then
 * on any string that carries it — an error a provider echoes it in, a log line — reads
 * `[secret:NAME]` wherever it goes.
 */
export function handedOut(name: string, value: string): string {
  redactor.register(name, value);
  return value;
}

/**
 * A store of anyone's making (the desktop's keychain, a test's fake) that registers what it
 * hands out, like the built-in ones.
 */
export function registering(store: SecretStore): SecretStore {
  return Object.assign(Object.create(store) as SecretStore, {
    async get(name: string): Promise<string | undefined> {
      const value = await store.get(name);
      return value === undefined ? undefined : handedOut(name, value);
    },
  });
}

/** `secret:openai` → `openai`; anything else is not a secret reference. */
export function secretRef(value: string): string | undefined {
  return value.startsWith('secret:') ? value.slice('secret:'.length) : undefined;
}
