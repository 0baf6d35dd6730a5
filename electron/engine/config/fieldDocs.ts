/**
 * One sentence per jobs.yaml key, for docs/jobs-yaml.md. A test fails when the schema gains a
 * key that is not described here (or a `.describe()` on the schema), so the reference cannot
 * fall behind the code.
 */
export const FIELD_DOCS: Record<string, string> = {
  data_dir:
    'Where tributary.db, artifacts and control files live; relative to jobs.yaml. Default `data`. Changing it needs a restart.',
  events_retention:
    'How long events (pauses, failures, discovery rounds, run counts) are kept before pruning.',
  resources:
    'Shared limits by name, used by stages across all jobs (`resources: [openai]` on a stage).',
  'resources.<name>.concurrency': 'How many runs may hold this resource at once, across every job.',
  'resources.<name>.rate': 'How many runs may start per window: `60/min`, `5/s`, `1000/h`, `2/5s`.',
  'resources.<name>.burst':
    'How many starts may happen at once after an idle spell (token bucket size). Default 1.',
  jobs: 'The jobs: where items come from and the stages each goes through.',
  'jobs[].id':
    'Unique id: lowercase letters, digits, `-`, `_`. Items and results are keyed by it; renaming a job starts a new one.',
  'jobs[].title': 'Human title shown in the dashboard and `jobctl status`.',
  'jobs[].emoji': 'An emoji shown next to the title.',
  'jobs[].enabled': 'A disabled job keeps its data but runs nothing.',
  'jobs[].handler':
    'Path of the handler module (TypeScript or JavaScript) that provides stages without `uses:`; relative to jobs.yaml.',
  'jobs[].discovery': 'Where the job finds items, and how often it looks.',
  'jobs[].discovery.strategy':
    'A built-in strategy (`static`, `manual`, `rss`, `sitemap`, `html_links`, `http_json`, `directory`, `command`, `tracker_query`, `multi_source`) or one the handler module exports.',
  'jobs[].discovery.params':
    "The strategy's parameters (each strategy validates its own; see README, Discovery).",
  'jobs[].discovery.every': 'Look again at this interval (`15m`, `1h`).',
  'jobs[].discovery.cron': 'Look again on a cron schedule (`0 * * * *`) instead of `every`.',
  'jobs[].discovery.jitter':
    'Random delay added to each round so jobs never fire together. Default 10% of the interval, at most 5m.',
  'jobs[].discovery.quiet_after':
    'Alert "source went quiet" when no new item arrived for this long; `false` turns the alert off. Default: 10 × the usual interval between rounds (`every`, or the median gap of `cron`), at least `1d`, at most `90d`; none for `manual`, `static`, `directory`, `tracker_query`, backfills and jobs without a schedule, where silence is normal.',
  'jobs[].discovery.merge': 'How re-discovering a known item merges its data.',
  'jobs[].discovery.merge.union':
    "List fields unioned in order when an item is found again; `'*'` (default) means every list field.",
  'jobs[].discovery.merge.replace':
    'Fields where the newest non-blank value wins (others keep the first value).',
  'jobs[].kind':
    '`monitor` watches for new items; `backfill` pages through an archive at a slower cadence and stops when exhausted.',
  'jobs[].pipeline':
    'Label chaining jobs into a pipeline, `name/step`; shown in the Pipelines view.',
  'jobs[].guards': 'Limits that hold a job back.',
  'jobs[].guards.max_pending':
    'Discovery skips rounds while this many items are unfinished (processing continues).',
  'jobs[].guards.daily_cost_limit':
    'USD per day (in `timezone`); reaching it pauses the job until the next day.',
  'jobs[].priority_rules':
    "Rules giving new items a priority from their data (first match wins; discovery's own priority wins over rules).",
  'jobs[].tags': 'Free labels for grouping and filtering jobs.',
  'jobs[].stages':
    'The stages each item goes through, in order unless `stage_deps` says otherwise.',
  'jobs[].stages[].name':
    'Stage name, unique within the job; the handler module exports a handler under this name.',
  'jobs[].stages[].uses':
    'A built-in handler instead of the module: `builtin/fetch`, `builtin/extract`, `builtin/llm`, `builtin/audit`, `builtin/noop`.',
  'jobs[].stages[].concurrency': 'How many items this stage runs at once.',
  'jobs[].stages[].timeout':
    "A run's AbortSignal fires after this; the run is retried as transient.",
  'jobs[].stages[].retry': 'Retry policy for failures the doctor deems worth retrying.',
  'jobs[].stages[].retry.max_attempts': 'Attempts before an item lands in the dead-letter bin.',
  'jobs[].stages[].retry.backoff': 'First retry delay; doubles each attempt, with jitter.',
  'jobs[].stages[].retry.max_backoff': 'Longest retry delay.',
  'jobs[].stages[].version':
    "Overrides the handler's version; change it to mark this stage's results stale.",
  'jobs[].stages[].allow_empty':
    'Accept an empty result as success (otherwise an empty result is an error).',
  'jobs[].stages[].params':
    'Parameters handed to the handler as `ctx.stage.params` (built-ins document theirs).',
  'jobs[].stages[].resources':
    'Shared resources each run holds: a name, or `{ name, per: host }` to key it per URL host.',
  'jobs[].stages[].resources[].name': 'A resource declared under top-level `resources:`.',
  'jobs[].stages[].resources[].per':
    '`host`: one slot pool per host of the item URL (politeness per domain).',
  'jobs[].stage_deps':
    'stage → the stages it waits for (fan-out and fan-in). A stage not listed has no dependencies. Cycles are rejected.',
  'jobs[].breakers':
    'Per-class circuit breakers: how many errors of a class pause the job (see README, The doctor).',
  'jobs[].breakers.transient':
    '`N` in a row, `false` (never), or `{ count, within, pause }`. Default 20 within 5m, pausing 15m.',
  'jobs[].breakers.transient.count': 'Errors in a row that open the breaker.',
  'jobs[].breakers.transient.within': 'Only count errors within this window.',
  'jobs[].breakers.transient.pause': 'Pause for this long (otherwise until someone resumes).',
  'jobs[].breakers.rate_limited': 'As for `transient`. Default 30 within 10m.',
  'jobs[].breakers.rate_limited.count': 'Errors in a row that open the breaker.',
  'jobs[].breakers.rate_limited.within': 'Only count errors within this window.',
  'jobs[].breakers.rate_limited.pause': 'Pause for this long (otherwise until someone resumes).',
  'jobs[].breakers.item_specific':
    'As for `transient`. Default `false`: bad items never pause the job.',
  'jobs[].breakers.item_specific.count': 'Errors in a row that open the breaker.',
  'jobs[].breakers.item_specific.within': 'Only count errors within this window.',
  'jobs[].breakers.item_specific.pause': 'Pause for this long (otherwise until someone resumes).',
  'jobs[].breakers.systemic': 'As for `transient`. Default 3 in a row.',
  'jobs[].breakers.systemic.count': 'Errors in a row that open the breaker.',
  'jobs[].breakers.systemic.within': 'Only count errors within this window.',
  'jobs[].breakers.systemic.pause': 'Pause for this long (otherwise until someone resumes).',
  'jobs[].breakers.code_bug':
    'As for `transient`. Default 1: a handler bug pauses the job at once.',
  'jobs[].breakers.code_bug.count': 'Errors in a row that open the breaker.',
  'jobs[].breakers.code_bug.within': 'Only count errors within this window.',
  'jobs[].breakers.code_bug.pause': 'Pause for this long (otherwise until someone resumes).',
  notifications: 'Desktop notifications for doctor pauses, cost-limit pauses and invalid configs.',
  'notifications.enabled': 'Turn notifications off entirely.',
  'notifications.min_level': 'Lowest level that notifies: `info`, `warning` or `error`.',
  'notifications.rate_limit':
    'At most this many notifications per window (`1/10m`); the rest arrive as one summary.',
  doctor: "The doctor's LLM classifier for errors no rule recognises.",
  'doctor.llm': 'Use the LLM for unknown errors (rules, cache and fallback always work).',
  'doctor.provider': 'Provider name under `llm.providers` (default: `llm.default_provider`).',
  'doctor.model': 'Model for classification (a small, cheap one).',
  'doctor.daily_budget_usd': "The doctor's own spending limit per day.",
  'doctor.timeout': 'Give up on a classification call after this long.',
  network:
    'How the engine tells the laptop being offline from one site being down (see README, The doctor).',
  'network.probe':
    'Targets (`host:port`) probed when requests fail with network errors; the network is down when none answers. Name one your network can reach if it blocks the defaults.',
  'network.probe_every':
    'While the network is down, probe this often; the first answer resumes work.',
  'network.probe_timeout':
    'A probe target that does not answer within this long counts as unreachable.',
  routes: 'How `jobctl add-url`, the dashboard box and drag & drop route URLs to jobs.',
  'routes.default':
    'Job for URLs no rule matches; without it they are refused with the list of routes.',
  'routes.rules': 'First matching rule wins.',
  'routes.rules[].host': 'Host to match (`youtube.com` also matches `www.youtube.com`).',
  'routes.rules[].path': 'Regular expression the URL path must match.',
  'routes.rules[].job': 'The job that receives matching URLs.',
  llm: 'LLM providers for `builtin/llm` and the doctor (any OpenAI-compatible API).',
  'llm.providers': 'Providers by name.',
  'llm.providers.<name>.base_url':
    'The API base URL (OpenAI, Groq, OpenRouter, a local Ollama or LM Studio).',
  'llm.providers.<name>.api_key':
    'A secret reference, `secret:NAME`, supplied by the OS keychain or `TRIBUTARY_SECRET_NAME`; never the key itself.',
  'llm.providers.<name>.models': 'Models this provider offers (shown in Settings).',
  'llm.providers.<name>.prices':
    'USD per million tokens by model, overriding the built-in price table.',
  'llm.providers.<name>.prices.<name>.input': 'USD per million input tokens.',
  'llm.providers.<name>.prices.<name>.output': 'USD per million output tokens.',
  'llm.providers.<name>.timeout': 'Give up on a call after this long.',
  'llm.prices':
    'USD per million tokens by model for every provider (an unknown model records its cost as unknown, never zero).',
  'llm.prices.<name>.input': 'USD per million input tokens.',
  'llm.prices.<name>.output': 'USD per million output tokens.',
  'llm.default_provider': 'Provider used when a stage or the doctor names none.',
  timezone: 'IANA time zone that defines "today" for daily cost limits (default: the system zone).',
  daily_cost_limit: 'USD per day across all jobs; reaching it pauses every job until the next day.',
};
