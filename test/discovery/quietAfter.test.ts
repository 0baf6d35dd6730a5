import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../electron/engine/config/loadConfig.ts';
import { openDatabase } from '../../electron/engine/db/openDatabase.ts';
import {
  DiscoveryStateStore,
  emptyDiscoveryState,
} from '../../electron/engine/discovery/DiscoveryStateStore.ts';
import {
  QUIET_MAX_MS,
  QUIET_MIN_MS,
  quietAfterOf,
  usualInterval,
} from '../../electron/engine/discovery/quietAfter.ts';
import type { EngineEvent } from '../../electron/engine/events/EventBus.ts';
import { Engine } from '../../electron/engine/runner/Engine.ts';
import { SCRIPTED, tempDir } from '../helpers/testEngine.ts';
import { fixtureServer, send } from './helpers.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A Wednesday, 10:00 local time: cron gaps below do not depend on when the test runs. */
const WED = new Date(2024, 4, 15, 10, 0, 0).getTime();

describe('the default quiet_after', () => {
  it.each([
    ['every 15m', { every: 15 * MIN }, DAY],
    ['every 6h', { every: 6 * HOUR }, 60 * HOUR],
    ['every 1d', { every: DAY }, 10 * DAY],
    ['every 30d', { every: 30 * DAY }, QUIET_MAX_MS],
    ['cron hourly', { cron: '0 * * * *' }, DAY],
    ['cron every second', { cron: '* * * * * *' }, QUIET_MIN_MS],
    ['cron on weekdays at 9', { cron: '0 9 * * 1-5' }, 10 * DAY],
    ['cron monthly', { cron: '0 0 1 * *' }, QUIET_MAX_MS],
  ])('is max(10 × the usual interval, 1d), at most 90d, for %s', (_n, schedule, expected) => {
    expect(quietAfterOf({ strategy: 'rss', ...schedule }, 'monitor', WED)).toEqual({
      ms: expected,
      source: 'default',
    });
  });

  it('takes a cron schedule’s usual gap as the median of its next fire times', () => {
    // Weekdays at 9: four 1-day gaps for each 3-day weekend gap.
    expect(usualInterval({ cron: '0 9 * * 1-5' }, WED)).toBe(DAY);
    expect(usualInterval({ cron: '*/10 * * * *' }, WED)).toBe(10 * MIN);
  });

  it.each(['manual', 'static', 'directory', 'tracker_query'])(
    'is none for %s, where silence is normal',
    (strategy) => {
      expect(quietAfterOf({ strategy, every: HOUR }, 'monitor')).toMatchObject({
        ms: null,
        source: 'none',
      });
    },
  );

  it('is none for a backfill and for a job without a schedule; an explicit value or false wins', () => {
    expect(quietAfterOf({ strategy: 'rss', every: HOUR }, 'backfill').ms).toBeNull();
    expect(quietAfterOf({ strategy: 'rss' }, 'monitor')).toMatchObject({
      ms: null,
      source: 'none',
    });
    expect(quietAfterOf({ strategy: 'rss', every: HOUR, quiet_after: 2 * DAY }, 'monitor')).toEqual(
      { ms: 2 * DAY, source: 'config' },
    );
    expect(quietAfterOf({ strategy: 'static', quiet_after: MIN }, 'monitor').ms).toBe(MIN);
    expect(quietAfterOf({ strategy: 'rss', every: HOUR, quiet_after: false }, 'monitor')).toEqual({
      ms: null,
      source: 'off',
      why: '`quiet_after: false`',
    });
  });

  it('accepts `quiet_after: false` in jobs.yaml and still refuses a bare number', () => {
    const ok = parseConfigText(
      `jobs:\n  - id: a\n    discovery: { strategy: rss, every: 1h, quiet_after: false, params: { url: "http://x" } }\n    stages: [{ name: s, uses: builtin/fetch }]\n`,
      '/tmp/jobs.yaml',
    );
    expect(ok.jobs[0]?.discovery?.quiet_after).toBe(false);
    expect(() =>
      parseConfigText(
        `jobs:\n  - id: a\n    discovery: { strategy: rss, quiet_after: 30, params: { url: "http://x" } }\n    stages: [{ name: s, uses: builtin/fetch }]\n`,
        '/tmp/jobs.yaml',
      ),
    ).toThrow(/quiet_after/);
  });
});

describe('the quiet alert with the default', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /**
   * A job on a short schedule whose last new item is two days old (seeded into
   * discovery_state, as a host that ran for days would have left it), then one round that
   * finds nothing new.
   */
  async function roundAfterTwoQuietDays(discovery: string) {
    const server = await fixtureServer({ '/api': send(200, '[]') });
    cleanups.push(() => server.close());
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const text = `jobs:
  - id: feed
    handler: ${SCRIPTED}
    discovery:
      strategy: http_json
${discovery}
      params: { url: "${server.url('/api')}" }
    stages:
      - name: fetch
`;
    const config = parseConfigText(text, join(dir, 'jobs.yaml'));
    const db = openDatabase(join(dir, 'tributary.db'));
    const now = Date.now();
    new DiscoveryStateStore(db).save({
      ...emptyDiscoveryState('feed'),
      lastRoundAt: now - 2 * DAY,
      lastOkAt: now - 2 * DAY,
      lastNewAt: now - 2 * DAY,
    });
    const engine = await Engine.create({ db, config, discovery: false });
    cleanups.push(async () => {
      await engine.stop(1000);
      db.close();
    });
    engine.start();
    const seen: EngineEvent[] = [];
    engine.bus.on((e) => seen.push(e));
    await engine.discovery.runNow('feed');
    await engine.discovery.runNow('feed');
    const quiet = (
      db.prepare(`SELECT data FROM events WHERE kind = 'source_quiet'`).all() as { data: string }[]
    ).map((r) => JSON.parse(r.data) as Record<string, unknown>);
    const alerts = seen.filter((e) => e.type === 'attention' && e.title === 'Source went quiet');
    return { quiet, alerts };
  }

  it('fires once for a source on `every: 1s` that found nothing new for two days', async () => {
    const { quiet, alerts } = await roundAfterTwoQuietDays('      every: 1s');
    expect(quiet).toHaveLength(1);
    expect(quiet[0]).toMatchObject({ quiet_after_ms: DAY });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ message: expect.stringContaining('within 1d') });
  });

  it('fires for a cron schedule too', async () => {
    const { quiet } = await roundAfterTwoQuietDays('      cron: "* * * * * *"');
    expect(quiet).toHaveLength(1);
  });

  it('stays silent with `quiet_after: false`', async () => {
    const { quiet, alerts } = await roundAfterTwoQuietDays(
      '      every: 1s\n      quiet_after: false',
    );
    expect(quiet).toHaveLength(0);
    expect(alerts).toHaveLength(0);
  });
});
