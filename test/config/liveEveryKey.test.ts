import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EngineApi } from '../../electron/engine/api/EngineApi.ts';
import { schemaFields } from '../../electron/engine/config/schemaPaths.ts';
import { withPriorities } from '../../electron/engine/config/priorityRules.ts';
import type { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import { BREAKER_CLASSES } from '../../electron/engine/doctor/breakerConfig.ts';
import { silentLogger } from '../../electron/engine/log/logger.ts';
import type { Notification, Notifier } from '../../electron/engine/notify/Notifier.ts';
import { Host } from '../../electron/engine/runner/Host.ts';
import { SCRIPTED, tempDir } from '../helpers/testEngine.ts';

/**
 * Every key of jobs.yaml, changed in the file of a running host and reloaded, reaches the
 * part of the engine that acts on it. The list of keys comes from the schema itself: a key
 * added to the schema without an entry here fails the first test.
 *
 * Each entry changes one key and observes the consumer — the resource pool's limits, the cost
 * guard's limits, the LLM client's providers and prices, the doctor's breakers and LLM, the
 * notifier's filter, the network monitor's settings, routing of added URLs, the pruner, the
 * stage worker's runtime, the discovery scheduler's job — never `host.config`, which always
 * changes and proves nothing.
 */

type Cfg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Probe {
  /** Changes the key in a copy of the base config. */
  change(c: Cfg): void;
  /** What the consumer acts on; must differ before and after the reload. */
  observe(h: Host, api: EngineApi): unknown;
  /** When the reload must be refused (data_dir), the message it gives. */
  refused?: RegExp;
}

const sent: Notification[] = [];
const recorder: Notifier = {
  notify: (n) => {
    sent.push(n);
    return Promise.resolve();
  },
};

function base(): Cfg {
  return {
    data_dir: './data',
    events_retention: '30d',
    timezone: 'UTC',
    daily_cost_limit: 10,
    resources: { shared: { concurrency: 2, rate: '10/s', burst: 2 } },
    notifications: { enabled: true, min_level: 'warning', rate_limit: '100/1m' },
    doctor: { llm: true, provider: 'local', model: 'm1', daily_budget_usd: 0.25, timeout: '10s' },
    network: { probe: ['127.0.0.1:9'], probe_every: '30s', probe_timeout: '5s' },
    routes: { default: 'a', rules: [{ host: 'example.org', path: '^/x', job: 'b' }] },
    llm: {
      providers: {
        local: {
          base_url: 'http://127.0.0.1:9/v1',
          models: ['m1'],
          prices: { m1: { input: 1, output: 2 } },
          timeout: '2m',
        },
        other: { base_url: 'http://127.0.0.1:9/v2', models: ['m2'] },
      },
      prices: { m9: { input: 3, output: 4 } },
      default_provider: 'local',
    },
    jobs: [
      {
        id: 'a',
        title: 'A',
        emoji: '🅰️',
        tags: ['x'],
        pipeline: 'p/a',
        kind: 'monitor',
        handler: SCRIPTED,
        discovery: {
          strategy: 'static',
          every: '1h',
          jitter: '1m',
          quiet_after: '2d',
          params: { items: [{ key: 'k1' }] },
          merge: { union: ['tags'], replace: ['title'] },
        },
        guards: { max_pending: 100, daily_cost_limit: 5 },
        priority_rules: [{ field: 'kind', equals: 'hot', priority: -1 }],
        stages: [
          {
            name: 'a',
            concurrency: 1,
            timeout: '1m',
            retry: { max_attempts: 3, backoff: '1s', max_backoff: '1m' },
            version: 1,
            allow_empty: false,
            params: { p: 1 },
            resources: ['shared'],
          },
          { name: 'b' },
        ],
        stage_deps: { b: ['a'] },
        breakers: Object.fromEntries(
          BREAKER_CLASSES.map((c) => [c, { count: 5, within: '1m', pause: '1m' }]),
        ),
      },
      { id: 'b', handler: SCRIPTED, stages: [{ name: 'a' }] },
    ],
  };
}

const job = (h: Host, id = 'a') => h.engine.jobs.get(id);
const worker = (h: Host, stage = 'a') => job(h)?.workers.get(stage);
const jobA = (c: Cfg): Cfg => c.jobs[0];
const s1 = (c: Cfg): Cfg => jobA(c).stages[0];
const doctor = (h: Host) => h.engine.classifier as Doctor;
const routeOf = async (api: EngineApi, url: string) =>
  (await api.addUrls({ urls: [url] })).results[0]?.jobId ?? null;
const priorityOf = (h: Host, data: Record<string, unknown>) =>
  withPriorities<{ data: Record<string, unknown>; priority?: number }>(
    job(h)?.config.priority_rules,
    [{ data }],
  )[0]?.priority ?? 0;
const oldEventDeleted = async (h: Host, ageMs: number) => {
  h.db
    .prepare(`INSERT INTO events (ts, kind, data) VALUES (?, 'probe_old', '{}')`)
    .run(Date.now() - ageMs);
  await h.engine.pruner.prune();
  const left = h.db.prepare(`SELECT count(*) AS n FROM events WHERE kind = 'probe_old'`).get() as {
    n: number;
  };
  h.db.prepare(`DELETE FROM events WHERE kind = 'probe_old'`).run();
  return left.n === 0;
};
/** Which of two warnings and an info the notifier lets through right now. */
const notified = (h: Host) => {
  sent.length = 0;
  for (const level of ['warning', 'warning', 'info'] as const)
    h.engine.bus.emit({ type: 'attention', jobId: null, level, title: level, message: level });
  return sent.map((n) => n.title);
};

const breakerProbes: Record<string, Probe> = {};
for (const cls of BREAKER_CLASSES) {
  const at = `jobs[].breakers.${cls}`;
  breakerProbes[at] = {
    change: (c) => (jobA(c).breakers[cls] = false),
    observe: (h) => doctor(h).thresholds('a')[cls],
  };
  breakerProbes[`${at}.count`] = {
    change: (c) => (jobA(c).breakers[cls].count = 9),
    observe: (h) => doctor(h).thresholds('a')[cls]?.count,
  };
  breakerProbes[`${at}.within`] = {
    change: (c) => (jobA(c).breakers[cls].within = '7m'),
    observe: (h) => doctor(h).thresholds('a')[cls]?.withinMs,
  };
  breakerProbes[`${at}.pause`] = {
    change: (c) => (jobA(c).breakers[cls].pause = '7m'),
    observe: (h) => doctor(h).thresholds('a')[cls]?.pauseMs,
  };
}

const PROBES: Record<string, Probe> = {
  data_dir: {
    change: (c) => (c.data_dir = './elsewhere'),
    observe: () => null,
    refused: /data_dir changed .* restart the host/,
  },
  events_retention: {
    change: (c) => (c.events_retention = '1h'),
    observe: (h) => oldEventDeleted(h, 2 * 3_600_000),
  },
  resources: {
    change: (c) => (c.resources.more = { concurrency: 1 }),
    observe: (h) => h.engine.resources.limits('more') ?? null,
  },
  'resources.<name>.concurrency': {
    change: (c) => (c.resources.shared.concurrency = 7),
    observe: (h) => h.engine.resources.snapshot().find((r) => r.name === 'shared')?.cap,
  },
  'resources.<name>.rate': {
    change: (c) => (c.resources.shared.rate = '1/min'),
    observe: (h) => h.engine.resources.limits('shared')?.rate,
  },
  'resources.<name>.burst': {
    change: (c) => (c.resources.shared.burst = 9),
    observe: (h) => h.engine.resources.snapshot().find((r) => r.name === 'shared')?.burst,
  },
  jobs: {
    change: (c) => c.jobs.push({ id: 'c', handler: SCRIPTED, stages: [{ name: 'a' }] }),
    observe: (h) => [...h.engine.jobs.keys()],
  },
  'jobs[].id': {
    change: (c) => {
      c.jobs[1].id = 'b2';
      c.routes.rules[0].job = 'b2';
    },
    observe: (h) => [...h.engine.jobs.keys()],
  },
  'jobs[].title': {
    change: (c) => (jobA(c).title = 'A2'),
    observe: async (_h, api) => (await api.overview({})).jobs.find((j) => j.id === 'a')?.title,
  },
  'jobs[].emoji': {
    change: (c) => (jobA(c).emoji = '🅱️'),
    observe: async (_h, api) => (await api.overview({})).jobs.find((j) => j.id === 'a')?.emoji,
  },
  'jobs[].enabled': {
    change: (c) => (c.jobs[1].enabled = false),
    observe: (h) => h.engine.jobs.has('b'),
  },
  'jobs[].handler': {
    change: (c) => (jobA(c).handler = 'scripted-copy.ts'),
    observe: (h) => job(h)?.module?.file,
  },
  'jobs[].discovery': {
    change: (c) => delete jobA(c).discovery,
    observe: (h) => job(h)?.config.discovery ?? null,
  },
  'jobs[].discovery.strategy': {
    change: (c) => {
      jobA(c).discovery.strategy = 'manual';
      jobA(c).discovery.params = {};
    },
    observe: (h) => job(h)?.config.discovery?.strategy,
  },
  'jobs[].discovery.params': {
    change: (c) => (jobA(c).discovery.params = { items: [{ key: 'k2' }] }),
    observe: async (h) => {
      await h.engine.discovery.runNow('a');
      return h.db.prepare(`SELECT item_key FROM items WHERE job_id = 'a' ORDER BY item_key`).all();
    },
  },
  'jobs[].discovery.every': {
    change: (c) => (jobA(c).discovery.every = '20d'),
    observe: (h) =>
      Math.round(((h.engine.discovery.status('a').nextRoundAt ?? 0) - Date.now()) / 86_400_000),
  },
  'jobs[].discovery.cron': {
    change: (c) => {
      delete jobA(c).discovery.every;
      jobA(c).discovery.cron = '0 0 1 1 *';
    },
    observe: (h) =>
      Math.round(((h.engine.discovery.status('a').nextRoundAt ?? 0) - Date.now()) / 86_400_000) > 1,
  },
  'jobs[].discovery.jitter': {
    change: (c) => (jobA(c).discovery.jitter = '0s'),
    observe: (h) => job(h)?.config.discovery?.jitter,
  },
  'jobs[].discovery.quiet_after': {
    change: (c) => (jobA(c).discovery.quiet_after = false),
    observe: async (_h, api) => (await api.job({ jobId: 'a' })).discovery?.quietAfterMs ?? null,
  },
  'jobs[].discovery.merge': {
    change: (c) => delete jobA(c).discovery.merge,
    observe: (h) =>
      h.engine.discovery.mergeFnFor('a')?.(
        { title: 'old', tags: [1] },
        { title: 'new', tags: [2] },
      ),
  },
  'jobs[].discovery.merge.union': {
    change: (c) => (jobA(c).discovery.merge.union = []),
    observe: (h) => h.engine.discovery.mergeFnFor('a')?.({ tags: [1] }, { tags: [2] }),
  },
  'jobs[].discovery.merge.replace': {
    change: (c) => (jobA(c).discovery.merge.replace = []),
    observe: (h) => h.engine.discovery.mergeFnFor('a')?.({ title: 'old' }, { title: 'new' }),
  },
  'jobs[].kind': {
    change: (c) => (jobA(c).kind = 'backfill'),
    observe: (h) => job(h)?.config.kind,
  },
  'jobs[].pipeline': {
    change: (c) => (jobA(c).pipeline = 'p/b'),
    observe: async (_h, api) => (await api.overview({})).jobs.find((j) => j.id === 'a')?.pipeline,
  },
  'jobs[].guards': {
    change: (c) => delete jobA(c).guards,
    observe: (h) => h.engine.content.costGuard.limits.perJob.get('a') ?? null,
  },
  'jobs[].guards.max_pending': {
    change: (c) => (jobA(c).guards.max_pending = 1),
    observe: (h) => job(h)?.config.guards?.max_pending,
  },
  'jobs[].guards.daily_cost_limit': {
    change: (c) => (jobA(c).guards.daily_cost_limit = 0.5),
    observe: (h) => h.engine.content.costGuard.limits.perJob.get('a'),
  },
  'jobs[].priority_rules': {
    change: (c) => delete jobA(c).priority_rules,
    observe: (h) => priorityOf(h, { kind: 'hot' }),
  },
  'jobs[].priority_rules[].field': {
    change: (c) => (jobA(c).priority_rules[0].field = 'sort'),
    observe: (h) => priorityOf(h, { kind: 'hot' }),
  },
  'jobs[].priority_rules[].equals': {
    change: (c) => (jobA(c).priority_rules[0].equals = 'cold'),
    observe: (h) => priorityOf(h, { kind: 'hot' }),
  },
  'jobs[].priority_rules[].matches': {
    change: (c) => (jobA(c).priority_rules[0] = { field: 'kind', matches: '^h', priority: -2 }),
    observe: (h) => priorityOf(h, { kind: 'hot' }),
  },
  'jobs[].priority_rules[].gte': {
    change: (c) => (jobA(c).priority_rules[0] = { field: 'n', gte: 5, priority: -3 }),
    observe: (h) => priorityOf(h, { kind: 'hot', n: 7 }),
  },
  'jobs[].priority_rules[].lte': {
    change: (c) => (jobA(c).priority_rules[0] = { field: 'n', lte: 9, priority: -4 }),
    observe: (h) => priorityOf(h, { kind: 'hot', n: 7 }),
  },
  'jobs[].priority_rules[].contains': {
    change: (c) => (jobA(c).priority_rules[0] = { field: 'tags', contains: 'ai', priority: -5 }),
    observe: (h) => priorityOf(h, { kind: 'hot', tags: ['ai'] }),
  },
  'jobs[].priority_rules[].priority': {
    change: (c) => (jobA(c).priority_rules[0].priority = -9),
    observe: (h) => priorityOf(h, { kind: 'hot' }),
  },
  'jobs[].tags': {
    change: (c) => (jobA(c).tags = ['y']),
    observe: async (_h, api) => (await api.overview({})).jobs.find((j) => j.id === 'a')?.tags,
  },
  'jobs[].stages': {
    change: (c) => jobA(c).stages.push({ name: 'c' }),
    observe: (h) => [...(job(h)?.workers.keys() ?? [])],
  },
  'jobs[].stages[].name': {
    change: (c) => {
      jobA(c).stages[1].name = 'd';
      jobA(c).stage_deps = { d: ['a'] };
    },
    observe: (h) => [...(job(h)?.workers.keys() ?? [])],
  },
  'jobs[].stages[].uses': {
    change: (c) => (jobA(c).stages[1].uses = 'builtin/noop'),
    observe: (h) => worker(h, 'b')?.runtime.handler,
  },
  'jobs[].stages[].concurrency': {
    change: (c) => (s1(c).concurrency = 4),
    observe: (h) => worker(h)?.runtime.config.concurrency,
  },
  'jobs[].stages[].timeout': {
    change: (c) => (s1(c).timeout = '2m'),
    observe: (h) => worker(h)?.runtime.config.timeout,
  },
  'jobs[].stages[].retry': {
    change: (c) => delete s1(c).retry,
    observe: (h) => worker(h)?.runtime.config.retry,
  },
  'jobs[].stages[].retry.max_attempts': {
    change: (c) => (s1(c).retry.max_attempts = 9),
    observe: (h) => worker(h)?.runtime.config.retry.max_attempts,
  },
  'jobs[].stages[].retry.backoff': {
    change: (c) => (s1(c).retry.backoff = '3s'),
    observe: (h) => worker(h)?.runtime.config.retry.backoff,
  },
  'jobs[].stages[].retry.max_backoff': {
    change: (c) => (s1(c).retry.max_backoff = '3m'),
    observe: (h) => worker(h)?.runtime.config.retry.max_backoff,
  },
  'jobs[].stages[].version': {
    change: (c) => (s1(c).version = 2),
    observe: (h) => worker(h)?.runtime.version,
  },
  'jobs[].stages[].allow_empty': {
    change: (c) => (s1(c).allow_empty = true),
    observe: (h) => worker(h)?.runtime.config.allow_empty,
  },
  'jobs[].stages[].params': {
    change: (c) => (s1(c).params = { p: 2 }),
    observe: (h) => worker(h)?.runtime.config.params,
  },
  'jobs[].stages[].resources': {
    change: (c) => (s1(c).resources = []),
    observe: (h) => worker(h)?.runtime.config.resources,
  },
  'jobs[].stages[].resources[].name': {
    change: (c) => {
      c.resources.disk = { concurrency: 1 };
      s1(c).resources = [{ name: 'disk' }];
    },
    observe: (h) => worker(h)?.runtime.config.resources,
  },
  'jobs[].stages[].resources[].per': {
    change: (c) => (s1(c).resources = [{ name: 'shared', per: 'host' }]),
    observe: (h) => worker(h)?.runtime.config.resources,
  },
  'jobs[].stage_deps': {
    change: (c) => (jobA(c).stage_deps = { b: [] }),
    observe: (h) =>
      h.db.prepare(`SELECT deps FROM job_stages WHERE job_id = 'a' AND stage = 'b'`).get(),
  },
  'jobs[].breakers': {
    change: (c) => delete jobA(c).breakers,
    observe: (h) => doctor(h).thresholds('a'),
  },
  ...breakerProbes,
  notifications: {
    change: (c) => (c.notifications = { enabled: false }),
    observe: notified,
  },
  'notifications.enabled': {
    change: (c) => (c.notifications.enabled = false),
    observe: notified,
  },
  'notifications.min_level': {
    change: (c) => (c.notifications.min_level = 'info'),
    observe: notified,
  },
  'notifications.rate_limit': {
    change: (c) => (c.notifications.rate_limit = '1/1h'),
    observe: notified,
  },
  doctor: {
    change: (c) => (c.doctor = { daily_budget_usd: 1 }),
    observe: (h) => doctor(h).llm?.opts.dailyBudgetUsd,
  },
  'doctor.llm': {
    change: (c) => (c.doctor.llm = false),
    observe: (h) => doctor(h).llm !== undefined,
  },
  'doctor.provider': {
    change: (c) => {
      c.doctor.provider = 'other';
      delete c.doctor.model;
    },
    observe: (h) => doctor(h).llm?.opts.baseURL,
  },
  'doctor.model': {
    change: (c) => (c.doctor.model = 'm1-big'),
    observe: (h) => doctor(h).llm?.opts.model,
  },
  'doctor.daily_budget_usd': {
    change: (c) => (c.doctor.daily_budget_usd = 2),
    observe: (h) => doctor(h).llm?.opts.dailyBudgetUsd,
  },
  'doctor.timeout': {
    change: (c) => (c.doctor.timeout = '30s'),
    observe: (h) => doctor(h).llm?.opts.timeoutMs,
  },
  network: {
    change: (c) => delete c.network,
    observe: (h) => h.engine.network.settings.probe,
  },
  'network.probe': {
    change: (c) => (c.network.probe = ['127.0.0.1:10']),
    observe: (h) => h.engine.network.settings.probe,
  },
  'network.probe_every': {
    change: (c) => (c.network.probe_every = '2m'),
    observe: (h) => h.engine.network.settings.probe_every,
  },
  'network.probe_timeout': {
    change: (c) => (c.network.probe_timeout = '2s'),
    observe: (h) => h.engine.network.settings.probe_timeout,
  },
  routes: {
    change: (c) => delete c.routes,
    observe: (_h, api) => routeOf(api, 'https://example.net/1'),
  },
  'routes.default': {
    change: (c) => (c.routes.default = 'b'),
    observe: (_h, api) => routeOf(api, 'https://example.net/2'),
  },
  'routes.rules': {
    change: (c) => (c.routes.rules = []),
    observe: (_h, api) => routeOf(api, 'https://example.org/x3'),
  },
  'routes.rules[].host': {
    change: (c) => (c.routes.rules[0].host = 'example.com'),
    observe: (_h, api) => routeOf(api, 'https://example.org/x4'),
  },
  'routes.rules[].path': {
    change: (c) => (c.routes.rules[0].path = '^/y'),
    observe: (_h, api) => routeOf(api, 'https://example.org/x5'),
  },
  'routes.rules[].job': {
    change: (c) => (c.routes.rules[0].job = 'a'),
    observe: (_h, api) => routeOf(api, 'https://example.org/x6'),
  },
  llm: {
    change: (c) => delete c.llm.default_provider,
    observe: (h) => {
      try {
        return h.engine.content.llm.resolveProvider().name;
      } catch (e) {
        return (e as Error).message;
      }
    },
  },
  'llm.providers': {
    change: (c) => (c.llm.providers.third = { base_url: 'http://127.0.0.1:9/v3' }),
    observe: (h) => {
      try {
        return h.engine.content.llm.resolveProvider('third').provider.base_url;
      } catch (e) {
        return (e as Error).message;
      }
    },
  },
  'llm.providers.<name>.base_url': {
    change: (c) => (c.llm.providers.local.base_url = 'http://127.0.0.1:9/v9'),
    observe: (h) => h.engine.content.llm.resolveProvider('local').provider.base_url,
  },
  'llm.providers.<name>.api_key': {
    change: (c) => (c.llm.providers.local.api_key = 'secret:local_key'),
    observe: (h) => h.engine.content.llm.resolveProvider('local').provider.api_key ?? null,
  },
  'llm.providers.<name>.models': {
    change: (c) => (c.llm.providers.local.models = ['m1', 'm1-big']),
    observe: (h) => h.engine.content.llm.resolveProvider('local').provider.models,
  },
  'llm.providers.<name>.prices': {
    change: (c) => delete c.llm.providers.local.prices,
    observe: (h) => h.engine.content.llm.resolveProvider('local').provider.prices ?? null,
  },
  'llm.providers.<name>.prices.<name>.input': {
    change: (c) => (c.llm.providers.local.prices.m1.input = 5),
    observe: (h) =>
      h.engine.content.llm.priceOf('m1', h.engine.content.llm.resolveProvider('local').provider),
  },
  'llm.providers.<name>.prices.<name>.output': {
    change: (c) => (c.llm.providers.local.prices.m1.output = 5),
    observe: (h) =>
      h.engine.content.llm.priceOf('m1', h.engine.content.llm.resolveProvider('local').provider),
  },
  'llm.providers.<name>.timeout': {
    change: (c) => (c.llm.providers.local.timeout = '5m'),
    observe: (h) => h.engine.content.llm.resolveProvider('local').provider.timeout,
  },
  'llm.prices': {
    change: (c) => (c.llm.prices = {}),
    observe: (h) => h.engine.content.llm.priceOf('m9') ?? null,
  },
  'llm.prices.<name>.input': {
    change: (c) => (c.llm.prices.m9.input = 7),
    observe: (h) => h.engine.content.llm.priceOf('m9'),
  },
  'llm.prices.<name>.output': {
    change: (c) => (c.llm.prices.m9.output = 7),
    observe: (h) => h.engine.content.llm.priceOf('m9'),
  },
  'llm.default_provider': {
    change: (c) => (c.llm.default_provider = 'other'),
    observe: (h) => h.engine.content.llm.resolveProvider().name,
  },
  timezone: {
    change: (c) => (c.timezone = 'Asia/Tokyo'),
    observe: (h) => h.engine.content.costGuard.limits.timeZone,
  },
  daily_cost_limit: {
    change: (c) => (c.daily_cost_limit = 3),
    observe: (h) => h.engine.content.costGuard.limits.global,
  },
};

describe('every key of jobs.yaml, reloaded on a running host', () => {
  let host: Host;
  let api: EngineApi;
  let file = '';
  let cleanup: () => void;

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    file = join(t.dir, 'jobs.yaml');
    writeFileSync(
      join(t.dir, 'scripted-copy.ts'),
      `export { default } from ${JSON.stringify(SCRIPTED)};\n`,
    );
    writeFileSync(file, stringify(base()));
    host = await Host.start({
      configFile: file,
      log: silentLogger(),
      notifier: recorder,
      watch: false,
    });
    api = new EngineApi(host.db, host.config, host.engine);
  });
  afterAll(async () => {
    await host.stop(500);
    cleanup();
  });

  it('has a live check for every key the schema accepts (a new key needs one here)', () => {
    const keys = schemaFields().map((f) => f.path);
    expect(keys.filter((k) => !(k in PROBES))).toEqual([]);
    expect(Object.keys(PROBES).filter((k) => !keys.includes(k))).toEqual([]);
  });

  for (const [key, probe] of Object.entries(PROBES))
    it(`${key}: the change reaches the part that acts on it`, async () => {
      const before = await probe.observe(host, api);
      const next = base();
      probe.change(next);
      writeFileSync(file, stringify(next));
      const r = await host.reload();
      try {
        if (probe.refused) {
          expect(r.applied).toBe(false);
          expect(r.problems.join('\n')).toMatch(probe.refused);
          return;
        }
        expect(r.problems).toEqual([]);
        expect(r.applied).toBe(true);
        const after = await probe.observe(host, api);
        expect(after).not.toEqual(before);
      } finally {
        writeFileSync(file, stringify(base()));
        const back = await host.reload();
        expect(back.problems).toEqual([]);
      }
    });
});
