import type { LoadedConfig } from '../config/loadConfig.ts';
import { systemTimeZone } from '../cost/dayBoundary.ts';
import { DEFAULT_NOTIFICATIONS } from '../notify/notificationsConfig.ts';
import type { SettingsView } from './types.ts';

/**
 * The running config's settings as the dashboard shows them, read-only: LLM providers and
 * their models, notification preferences, the doctor's classifier and cost limits. Never a
 * key: a provider shows only the NAME of the secret it reads (`secret:openai` → `openai`),
 * and credentials written into a base URL (`https://user:pass@host`) are cut out.
 */
export function settingsView(config: LoadedConfig): SettingsView {
  const llm = config.llm;
  const n = config.notifications ?? DEFAULT_NOTIFICATIONS;
  return {
    configFile: config.file,
    timeZone: config.timezone ?? systemTimeZone(),
    dailyCostLimitUsd: config.daily_cost_limit ?? null,
    llm: {
      defaultProvider: llm?.default_provider ?? null,
      providers: Object.entries(llm?.providers ?? {}).map(([name, p]) => ({
        name,
        baseUrl: withoutCredentials(p.base_url),
        models: p.models ?? [],
        apiKeySecret: p.api_key ? p.api_key.slice('secret:'.length) : null,
        timeoutMs: p.timeout,
      })),
    },
    notifications: {
      configured: config.notifications !== undefined,
      enabled: n.enabled,
      minLevel: n.min_level,
      rateLimit: n.rate_limit,
    },
    doctor: config.doctor
      ? {
          llm: config.doctor.llm,
          provider: config.doctor.provider ?? null,
          model: config.doctor.model ?? null,
          dailyBudgetUsd: config.doctor.daily_budget_usd,
        }
      : null,
  };
}

function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    // The schema validated it as a URL; if it still does not parse, show nothing of it.
    return '(invalid URL)';
  }
}
