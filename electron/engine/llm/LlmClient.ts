import OpenAI from 'openai';
import { z } from 'zod';
import type { Logger } from '../log/logger.ts';
import { secretRef, type SecretStore } from '../secrets/SecretStore.ts';
import type { LlmConfig, LlmPrice, LlmProviderConfig } from './llmConfig.ts';
import { LlmConfigError, LlmOutputError, LlmRateLimited, retryAfterMs } from './llmErrors.ts';
import { costUsd, DEFAULT_PRICES, priceFor } from './prices.ts';

export interface LlmRequest {
  provider?: string;
  model?: string;
  /** Instructions plus the document: a stable prefix that providers can cache. */
  system: string;
  user: string;
  /** JSON schema of the answer; the answer is parsed and validated against it. */
  schema?: Record<string, unknown>;
  /** `schema` sends response_format json_schema; `object` only asks for JSON (older servers). */
  jsonMode?: 'schema' | 'object';
  temperature?: number;
  signal?: AbortSignal;
}

export interface LlmUsage {
  provider: string;
  model: string;
  tokensIn: number;
  tokensOut: number;
  /** null: the model's price is unknown (never silently zero). */
  usd: number | null;
}

export interface LlmResponse {
  text: string;
  /** The parsed, validated answer when a schema was given. */
  json?: Record<string, unknown>;
  usage: LlmUsage;
  finishReason: string | null;
}

/**
 * The openai SDK over any OpenAI-compatible provider (OpenAI, Groq, OpenRouter, Ollama, LM
 * Studio). SDK retries are off — the engine owns retries and their backoff — and every call
 * reports its usage through `onUsage`, even when the answer is then rejected: those tokens
 * were paid for.
 */
export class LlmClient {
  /** SDK clients by provider name, each with the provider settings it was built from. */
  private readonly clients = new Map<string, { from: LlmProviderConfig; client: OpenAI }>();
  private readonly warnedModels = new Set<string>();
  private readonly configNow: () => LlmConfig | undefined;

  /**
   * `config` as a function is read at every call: a provider added, changed or removed by a
   * reload is used by the next call (a changed provider gets a new SDK client).
   */
  constructor(
    config: LlmConfig | undefined | (() => LlmConfig | undefined),
    private readonly secrets: SecretStore,
    private readonly log: Logger,
  ) {
    this.configNow = typeof config === 'function' ? config : () => config;
  }

  private get config(): LlmConfig | undefined {
    return this.configNow();
  }

  resolveProvider(name?: string): { name: string; provider: LlmProviderConfig } {
    const providers = this.config?.providers ?? {};
    const names = Object.keys(providers);
    const chosen =
      name ?? this.config?.default_provider ?? (names.length === 1 ? names[0] : undefined);
    if (!chosen)
      throw new LlmConfigError(
        names.length === 0
          ? 'no LLM provider configured: add `llm: { providers: { NAME: { base_url, api_key: secret:NAME } } }` to jobs.yaml'
          : `several LLM providers (${names.join(', ')}): set \`llm.default_provider\` or the stage's \`provider\``,
      );
    const provider = providers[chosen];
    if (!provider)
      throw new LlmConfigError(
        `unknown LLM provider \`${chosen}\` (configured: ${names.join(', ') || 'none'})`,
      );
    return { name: chosen, provider };
  }

  private async client(name: string, p: LlmProviderConfig): Promise<OpenAI> {
    const cached = this.clients.get(name);
    // Snapshots are immutable, so an unchanged provider is the very same object.
    if (cached?.from === p) return cached.client;
    let apiKey = 'unused'; // local servers ignore it, but the SDK requires a value
    const ref = p.api_key ? secretRef(p.api_key) : undefined;
    if (ref) {
      const v = await this.secrets.get(ref);
      if (!v)
        throw new LlmConfigError(
          `secret \`${ref}\` for LLM provider \`${name}\` is not set (${this.secrets.describe()})`,
        );
      apiKey = v;
    }
    const c = new OpenAI({ apiKey, baseURL: p.base_url, maxRetries: 0, timeout: p.timeout });
    this.clients.set(name, { from: p, client: c });
    return c;
  }

  /** The price a call to `model` is charged at now: the provider's, then `llm.prices`, then defaults. */
  priceOf(model: string, provider?: LlmProviderConfig): LlmPrice | undefined {
    return priceFor(model, [provider?.prices, this.config?.prices, DEFAULT_PRICES]);
  }

  async complete(req: LlmRequest, onUsage: (u: LlmUsage) => void): Promise<LlmResponse> {
    const { name, provider } = this.resolveProvider(req.provider);
    const model = req.model ?? provider.models?.[0];
    if (!model)
      throw new LlmConfigError(
        `no model: set the stage's \`model\` or list \`models\` for provider \`${name}\``,
      );
    const client = await this.client(name, provider);
    const responseFormat = req.schema
      ? req.jsonMode === 'object'
        ? ({ type: 'json_object' } as const)
        : ({
            type: 'json_schema',
            json_schema: { name: 'answer', schema: req.schema, strict: false },
          } as const)
      : undefined;
    let res: OpenAI.Chat.Completions.ChatCompletion;
    try {
      // No max_tokens on purpose: a JSON answer cut at a token cap is garbage, not a result.
      res = await client.chat.completions.create(
        {
          model,
          temperature: req.temperature ?? 0,
          messages: [
            { role: 'system', content: req.system },
            { role: 'user', content: req.user },
          ],
          ...(responseFormat ? { response_format: responseFormat } : {}),
        },
        req.signal ? { signal: req.signal } : {},
      );
    } catch (err) {
      // Out of credit is a 429 too, but waiting does not cure it: it goes to the doctor as
      // the SDK's error (code insufficient_quota), which pauses the job with the provider's words.
      if (err instanceof OpenAI.RateLimitError && !isQuotaExhausted(err)) {
        throw new LlmRateLimited(
          `LLM provider \`${name}\` rate-limited the call (429): ${err.message}`,
          retryAfterMs(err.headers) ?? 60_000,
        );
      }
      throw err; // APIError carries `status`; timeouts and connection errors are transient
    }
    const tokensIn = res.usage?.prompt_tokens ?? 0;
    const tokensOut = res.usage?.completion_tokens ?? 0;
    const price = this.priceOf(model, provider);
    if (!price && !this.warnedModels.has(model)) {
      this.warnedModels.add(model);
      this.log.warn(
        { model, provider: name },
        'no price known for this model: its cost is recorded as unknown; add it under llm.prices',
      );
    }
    const usage: LlmUsage = {
      provider: name,
      model: res.model || model,
      tokensIn,
      tokensOut,
      usd: costUsd(price, tokensIn, tokensOut),
    };
    onUsage(usage);
    const choice = res.choices[0];
    const finishReason = choice?.finish_reason ?? null;
    const text = choice?.message?.content ?? '';
    if (finishReason === 'length')
      throw new LlmOutputError(
        'llm_truncated',
        `the answer was cut off (finish_reason=length after ${tokensOut} tokens); not storing a truncated result`,
      );
    if (!req.schema) {
      if (!text.trim()) throw new LlmOutputError('llm_empty', 'the model returned an empty answer');
      return { text, usage, finishReason };
    }
    return { text, json: parseAnswer(text, req.schema), usage, finishReason };
  }
}

/** Parses a JSON answer (tolerating a ```json fence) and validates it against the schema. */
export function parseAnswer(
  text: string,
  schema: Record<string, unknown>,
): Record<string, unknown> {
  const body = text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    throw new LlmOutputError(
      'llm_invalid_json',
      `the answer is not valid JSON (${(e as Error).message}): ${body.slice(0, 200)}`,
    );
  }
  const check = validatorFor(schema).safeParse(value);
  if (!check.success) {
    const issues = check.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new LlmOutputError(
      'llm_schema_mismatch',
      `the answer does not match the schema: ${issues}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { value } as Record<string, unknown>;
  return value as Record<string, unknown>;
}

const validators = new WeakMap<object, z.ZodType>();
function validatorFor(schema: Record<string, unknown>): z.ZodType {
  let v = validators.get(schema);
  if (!v) {
    v = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    validators.set(schema, v);
  }
  return v;
}

/** A 429 that means "no credit left" rather than "too fast" (OpenAI, OpenRouter, proxies). */
function isQuotaExhausted(err: InstanceType<typeof OpenAI.RateLimitError>): boolean {
  const code = String(err.code ?? (err.error as { code?: unknown } | undefined)?.code ?? '');
  if (code === 'insufficient_quota' || code === 'billing_hard_limit_reached') return true;
  return /exceeded your current quota|check your plan and billing|insufficient (?:credits?|balance|funds)|credit balance is too low|billing hard limit/i.test(
    err.message,
  );
}
