import type { Rule, RuleHit } from '../types.ts';
import { hitOf, type Entry } from './entry.ts';

/**
 * The SDK error classes of OpenAI-style clients (openai for Node and Python, and the many
 * SDKs that copy them: Groq, Mistral, Anthropic, LiteLLM). Node's openai v6 sets no `name`;
 * toRecord reads the constructor. A Python traceback names them `openai.RateLimitError`.
 * Request errors (BadRequestError) are weighed low: their body says whether the request was
 * malformed (our code), too long (this item) or refused for the key (a person) — the phrase
 * rules read that.
 */
const SDK: Record<string, Entry> = {
  RateLimitError: ['rate_limited', 0.88],
  AuthenticationError: ['systemic', 0.9],
  PermissionDeniedError: ['systemic', 0.82],
  BadRequestError: ['item_specific', 0.5],
  UnprocessableEntityError: ['item_specific', 0.5],
  NotFoundError: ['item_specific', 0.55],
  ConflictError: ['transient', 0.6],
  InternalServerError: ['transient', 0.8],
  APIConnectionError: ['transient', 0.8, 'network'],
  APIConnectionTimeoutError: ['transient', 0.85, 'network'],
  APITimeoutError: ['transient', 0.85, 'network'],
  APIUserAbortError: ['transient', 0.7],
  ContentFilterFinishReasonError: ['item_specific', 0.9],
  LengthFinishReasonError: ['item_specific', 0.75],
  ServiceUnavailableError: ['transient', 0.8],
  OverloadedError: ['transient', 0.85],
  Timeout: ['transient', 0.8],
  // AWS SDKs name the situation in the error's name (S3's SlowDown arrives as "UnknownError").
  SlowDown: ['rate_limited', 0.95],
  Throttling: ['rate_limited', 0.93],
  ThrottlingException: ['rate_limited', 0.93],
  TooManyRequestsException: ['rate_limited', 0.93],
  ProvisionedThroughputExceededException: ['rate_limited', 0.93],
  RequestLimitExceeded: ['rate_limited', 0.93],
  RequestThrottled: ['rate_limited', 0.93],
  AccessDenied: ['systemic', 0.88],
  AccessDeniedException: ['systemic', 0.88],
  ExpiredToken: ['systemic', 0.92],
  ExpiredTokenException: ['systemic', 0.92],
  InvalidAccessKeyId: ['systemic', 0.93],
  InvalidClientTokenId: ['systemic', 0.93],
  SignatureDoesNotMatch: ['systemic', 0.9],
  UnrecognizedClientException: ['systemic', 0.92],
  NoSuchBucket: ['systemic', 0.85],
  NoSuchKey: ['item_specific', 0.85],
  ResourceNotFoundException: ['item_specific', 0.6],
  ServiceUnavailable: ['transient', 0.8],
  InternalFailure: ['transient', 0.8],
  ModelNotReadyException: ['transient', 0.85],
  ValidationException: ['code_bug', 0.6],
};

/**
 * Provider error codes and types inside an API error body: OpenAI's `code`, Anthropic's
 * `error.type`, Google's `status`. These name the situation exactly, so they weigh most.
 */
const API_CODES: Record<string, Entry> = {
  insufficient_quota: ['systemic', 0.97, 'billing'],
  billing_hard_limit_reached: ['systemic', 0.97, 'billing'],
  context_length_exceeded: ['item_specific', 0.97],
  string_above_max_length: ['item_specific', 0.9],
  rate_limit_exceeded: ['rate_limited', 0.95],
  rate_limit_error: ['rate_limited', 0.95],
  tokens_exceeded: ['rate_limited', 0.9],
  invalid_api_key: ['systemic', 0.97],
  authentication_error: ['systemic', 0.95],
  permission_error: ['systemic', 0.88],
  model_not_found: ['systemic', 0.93],
  model_decommissioned: ['systemic', 0.93],
  overloaded_error: ['transient', 0.9],
  api_error: ['transient', 0.75],
  server_error: ['transient', 0.8],
  request_too_large: ['item_specific', 0.9],
  content_filter: ['item_specific', 0.92],
  content_policy_violation: ['item_specific', 0.92],
  RESOURCE_EXHAUSTED: ['rate_limited', 0.93],
  UNAUTHENTICATED: ['systemic', 0.95],
  PERMISSION_DENIED: ['systemic', 0.9],
  UNAVAILABLE: ['transient', 0.85],
  DEADLINE_EXCEEDED: ['transient', 0.85],
  INTERNAL: ['transient', 0.8],
  FAILED_PRECONDITION: ['systemic', 0.7],
  unsupported_country_region_territory: ['systemic', 0.95],
  // Google APIs' `reason` (YouTube Data API and friends).
  quotaExceeded: ['rate_limited', 0.93],
  rateLimitExceeded: ['rate_limited', 0.95],
  userRateLimitExceeded: ['rate_limited', 0.95],
  dailyLimitExceeded: ['temporal', 0.9],
  keyInvalid: ['systemic', 0.95],
  accessNotConfigured: ['systemic', 0.93],
  ipRefererBlocked: ['systemic', 0.93],
};

export const providerRule: Rule = (r, text) => {
  const hits: RuleHit[] = [];
  const api = r.apiCode ?? '';
  const byCode = API_CODES[api] ?? API_CODES[api.toLowerCase()];
  if (byCode) hits.push(hitOf(`api.${api}`, byCode));
  // Codes quoted in a body that reached us as text ('code': 'insufficient_quota').
  for (const m of text.matchAll(/["'](?:code|type|status)["']\s*:\s*["']([A-Za-z_]+)["']/g)) {
    const e = API_CODES[m[1]!];
    if (e) hits.push(hitOf(`api.${m[1]}`, [e[0], e[1] - 0.02, e[2]]));
  }
  const name = (r.name ?? '').replace(/^.*\./, '');
  const py = /\b(?:openai|anthropic|groq|mistralai|litellm)\.(\w+Error|Timeout)\b/.exec(text)?.[1];
  const sdk = SDK[name] ?? (py ? SDK[py] : undefined);
  if (sdk) hits.push(hitOf(`sdk.${SDK[name] ? name : py}`, sdk));
  if (sdk && (name === 'NotFoundError' || py === 'NotFoundError') && /\bmodel\b/i.test(text))
    hits.push({ class: 'systemic', rule: 'sdk.model-not-found', confidence: 0.85 });
  return hits;
};
