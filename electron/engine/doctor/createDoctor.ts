import type { LiveConfig } from '../config/LiveConfig.ts';
import type { LoadedConfig } from '../config/loadConfig.ts';
import type { Db } from '../db/openDatabase.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { Logger } from '../log/logger.ts';
import { EnvSecretStore, secretRef, type SecretStore } from '../secrets/SecretStore.ts';
import { Doctor } from './Doctor.ts';
import type { DoctorLlmOptions } from './LlmClassifier.ts';

type Price = { input: number; output: number };
/** What the doctor needs of the `llm:` block of jobs.yaml. */
interface LlmBlock {
  providers?: Record<
    string,
    { base_url: string; api_key?: string; models?: string[]; prices?: Record<string, Price> }
  >;
  prices?: Record<string, Price>;
  default_provider?: string;
}

/**
 * The LLM classifier's settings from jobs.yaml: the `doctor:` key picks a provider of the
 * `llm:` block (or its default). Null — rules only — when the doctor's LLM is off, no
 * provider is configured, or the provider's secret is not set; that is logged once, not an
 * error, because the doctor works without it.
 */
export async function doctorLlmOptions(
  config: LoadedConfig,
  secrets: SecretStore,
  log: Logger,
): Promise<DoctorLlmOptions | null> {
  const d = config.doctor;
  if (d && !d.llm) return null;
  // Read structurally: the `llm:` block belongs to the LLM client (electron/engine/llm).
  const llmCfg = (config as { llm?: LlmBlock }).llm;
  const providers = llmCfg?.providers ?? {};
  const names = Object.keys(providers);
  const name = d?.provider ?? llmCfg?.default_provider ?? names[0];
  const p = name ? providers[name] : undefined;
  if (!name || !p) {
    log.info('doctor: no LLM provider configured; classifying with rules only');
    return null;
  }
  const model = d?.model ?? p.models?.[0];
  if (!model) {
    log.info(
      { provider: name },
      'doctor: provider lists no model and doctor.model is not set; rules only',
    );
    return null;
  }
  let apiKey = 'unused'; // local servers ignore it; the SDK insists on a value
  const ref = p.api_key ? secretRef(p.api_key) : undefined;
  if (ref) {
    const v = await secrets.get(ref);
    if (!v) {
      log.info({ provider: name, secret: ref }, 'doctor: the provider key is not set; rules only');
      return null;
    }
    apiKey = v;
  }
  const price = llmCfg?.prices?.[model] ?? p.prices?.[model] ?? p.prices?.['*'];
  return {
    apiKey,
    model,
    baseURL: p.base_url,
    timeoutMs: d?.timeout ?? 10_000,
    dailyBudgetUsd: d?.daily_budget_usd ?? 0.25,
    ...(price ? { prices: price } : {}),
  };
}

/**
 * The host's doctor: attached to its database, live config and bus, with the LLM if
 * configured. Every reload rebuilds the doctor's LLM (a provider added, a model or budget
 * changed, the LLM turned off, a key changed); the reload waits for it (`settled`).
 */
export async function createDoctor(parts: {
  db: Db;
  live: LiveConfig;
  bus: EventBus;
  log: Logger;
  secrets?: SecretStore;
}): Promise<Doctor> {
  const secrets = parts.secrets ?? new EnvSecretStore();
  const llm = await doctorLlmOptions(parts.live.current, secrets, parts.log);
  const doctor = new Doctor({
    db: parts.db,
    config: parts.live,
    bus: parts.bus,
    log: parts.log,
    llm,
  });
  let generation = 0;
  // Rebuilt on every reload, not only when `doctor:` or `llm:` changed: a key changed in the
  // keychain is read again too.
  parts.live.subscribe(async (next) => {
    const mine = ++generation;
    const options = await doctorLlmOptions(next, secrets, parts.log);
    // A newer reload may have finished first: only the latest one's LLM stands.
    if (mine === generation) doctor.useLlm(options);
  });
  return doctor;
}
