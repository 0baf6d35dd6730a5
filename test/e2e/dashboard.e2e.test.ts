import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApiClient } from '../../electron/server/HttpApiClient.ts';
import { SCRIPTED } from '../helpers/testEngine.ts';
import { waitFor } from '../helpers/waitFor.ts';
import {
  hasChromium,
  launchChromium,
  startHeadlessHost,
  type RunningHost,
} from './headlessHost.ts';

const SHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
const SCORE = resolve(import.meta.dirname, '../fixtures/discovery/scoreHandler.ts');
/** A key the host reads from its environment: Settings must say "set (env)" and never show it. */
const ENV_KEY_VALUE = 'e2e-key-value-never-shown';

const items = (n: number, script: Record<string, string>) =>
  Array.from(
    { length: n },
    (_, i) =>
      `          - { key: i${i}, data: { title: "Item ${i}", script: ${JSON.stringify(script)} } }`,
  ).join('\n');

// `live` runs slowly enough to watch; `broken` fails at once so there is something to retry;
// `scored` → `published` is a chain (tracker_query) in pipeline `news`; `buggy` gives the
// doctor something to classify. Notifications are off and the doctor uses rules only.
const YAML = `routes:
  default: links
notifications: { enabled: false, min_level: error, rate_limit: 2/5m }
doctor: { llm: false }
llm:
  providers:
    local:
      base_url: http://127.0.0.1:9/v1
      api_key: secret:e2e-env
      models: [tiny, big]
jobs:
  - id: links
    title: Added links
    handler: ${SCRIPTED}
    stages:
      - { name: fetch }
  - id: live
    title: Live progress
    emoji: "🚰"
    handler: ${SCRIPTED}
    discovery:
      strategy: static
      every: 1h
      params:
        items:
${items(30, { fetch: 'sleep:120' })}
    stages:
      - { name: fetch, concurrency: 1 }
      - { name: score }
  - id: broken
    title: Broken items
    handler: ${SCRIPTED}
    discovery:
      strategy: static
      every: 1h
      params:
        items:
${items(3, { fetch: 'fail' })}
    stages:
      - { name: fetch }
  - id: scored
    title: Scored
    pipeline: news/score
    handler: ${SCORE}
    guards: { daily_cost_limit: 1 }
    discovery:
      strategy: static
      every: 1h
      params:
        items:
          - { key: low, data: { n: 3 } }
          - { key: edge, data: { n: 10, title: Edge story } }
          - { key: high, data: { n: 42, title: High story } }
    stages:
      - { name: score }
  - id: published
    title: Published
    pipeline: news/publish
    handler: ${SCORE}
    discovery:
      strategy: tracker_query
      every: 2s
      params: { job: scored, stage: score, min_score: 10 }
    stages:
      - { name: publish }
  - id: buggy
    title: Buggy
    handler: ${SCRIPTED}
    discovery:
      strategy: static
      every: 1h
      params:
        items:
${items(1, { fetch: 'typeerror' })}
    stages:
      - { name: fetch, retry: { max_attempts: 1 } }
`;

describe.skipIf(!hasChromium)('the dashboard in a real browser against a headless host', () => {
  let host: RunningHost;
  let browser: Browser;
  let page: Page;
  const doneOf = async (job: string) =>
    Number(
      await page
        .locator(`[data-job="${job}"] tr[data-stage="fetch"] [data-status="done"]`)
        .first()
        .textContent()
        .then((t) => t?.replace(/\D/g, '') || '0')
        .catch(() => '0'),
    );

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    host = await startHeadlessHost(YAML, { TRIBUTARY_SECRET_E2E_ENV: ENV_KEY_VALUE });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (err) => console.error('page error:', err.message));
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('refuses the API without the session token (401)', async () => {
    const r = await fetch(`${host.url}/api/overview`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(401);
    const page401 = await fetch(`${host.url}/`);
    expect(page401.status).toBe(401);
  });

  it('opens with the printed URL and shows live progress without reloading', async () => {
    await page.goto(host.openUrl);
    // The token left the address bar (traded for an HttpOnly cookie).
    expect(page.url()).not.toContain('token=');
    await page.locator('[data-job="live"]').waitFor();
    const first = await doneOf('live');
    await waitFor(async () => (await doneOf('live')) > first, {
      timeoutMs: 30_000,
      label: 'done count to grow live',
    });
    await expect
      .poll(() => page.locator('[data-testid="host-state"]').textContent())
      .toContain('runner alive');
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
  });

  it('pause with a reason and resume change the job state end to end', async () => {
    const api = createHttpApiClient({ url: host.url, token: host.token });
    const card = page.locator('[data-job="live"]');
    await card.getByRole('button', { name: 'Pause…' }).click();
    await card.getByLabel('Reason').fill('checking the source');
    await card.getByRole('button', { name: 'Pause job' }).click();
    await expect.poll(() => card.getAttribute('data-state')).toBe('paused');
    await expect
      .poll(() => card.locator('[data-testid="pause-reason"]').textContent())
      .toContain('checking the source');
    expect((await api.job({ jobId: 'live' })).paused).toBe(true);
    await card.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => card.getAttribute('data-state')).toBe('running');
    expect((await api.job({ jobId: 'live' })).paused).toBe(false);
  });

  it('retry failed asks first, then the failed items run again and finish', async () => {
    const card = page.locator('[data-job="broken"]');
    await expect
      .poll(() => card.locator('[data-status="failed"]').first().textContent(), { timeout: 20_000 })
      .toContain('3');
    // Fix the items' script (as a person would fix the cause), then retry from the dashboard.
    const db = new Database(join(host.dir, 'tributary.db'));
    db.prepare(
      `UPDATE items SET data = json_set(data, '$.script.fetch', 'ok') WHERE job_id = 'broken'`,
    ).run();
    db.close();
    await card.getByRole('button', { name: /Retry failed/ }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Retry' }).click();
    await expect
      .poll(() => page.locator('.toast').last().textContent())
      .toContain('3 stages queued again');
    await expect
      .poll(() => card.locator('[data-status="done"]').first().textContent(), { timeout: 20_000 })
      .toContain('3');
  });

  it('adds URLs from the box and from links dropped onto the window', async () => {
    const api = createHttpApiClient({ url: host.url, token: host.token });
    await page
      .locator('#add-urls-text')
      .fill('read https://example.com/a and\nhttps://example.com/b');
    await page.getByRole('button', { name: 'Add 2' }).click();
    await expect.poll(() => page.locator('.toast').last().textContent()).toContain('2 URLs added');
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.setData('text/uri-list', 'https://example.com/dropped\n# a comment');
      dt.setData('text/plain', 'https://example.com/dropped');
      window.dispatchEvent(
        new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }),
      );
      window.dispatchEvent(
        new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
      );
    });
    await expect.poll(() => page.locator('.toast').last().textContent()).toContain('1 URL added');
    await expect.poll(async () => (await api.items({ jobId: 'links' })).total).toBe(3);
  });

  it('shows the job, an item, and every other view (screenshots saved)', async () => {
    await page.locator('[data-job="live"] h2 a').click();
    await page.locator('[data-testid="items-table"]').waitFor();
    await expect
      .poll(() => page.locator('[data-testid="items-total"]').textContent())
      .toContain('30 items');
    await page.screenshot({ path: join(SHOTS, 'job.png'), fullPage: true });
    await page.locator('[data-testid="items-table"] tbody a').first().click();
    await page.locator('[data-testid="why-waiting"]').waitFor();
    expect(await page.locator('h1').textContent()).toMatch(/Item \d+/);
    await page.screenshot({ path: join(SHOTS, 'item.png'), fullPage: true });
    for (const [key, name] of [
      ['2', 'pipelines'],
      ['3', 'costs'],
      ['4', 'doctor'],
      ['5', 'settings'],
    ] as const) {
      await page.locator('main').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press(key);
      await page.waitForURL(new RegExp(`#/${name}$`));
      await page.locator('main h1').waitFor();
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    }
    await page.keyboard.press('t');
    await page.keyboard.press('t');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.keyboard.press('1');
    await page.locator('[data-job="live"]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'overview-dark.png'), fullPage: true });
    // Back to the system theme (light in headless Chromium) for the screenshots below.
    await page.keyboard.press('t');
  });

  const go = async (hash: string) => {
    await page.evaluate((h) => (window.location.hash = h), hash);
    await page.locator('main h1').first().waitFor();
  };
  const itemId = async (jobId: string, key: string) => {
    const api = createHttpApiClient({ url: host.url, token: host.token });
    const { items } = await api.items({ jobId, search: key, limit: 10 });
    return items.find((i) => i.key === key)!.id;
  };

  it('overview cards show cost against the daily limit, discovery times, pipeline and heartbeat', async () => {
    await go('#/');
    const card = page.locator('[data-job="scored"]');
    await expect
      .poll(() => card.locator('[data-testid="cost-today"]').textContent())
      .toContain('Today $0.00 of $1.00');
    await expect
      .poll(() => card.locator('[data-testid="discovery-times"]').textContent())
      .toMatch(/last discovery .* ago · next in/);
    expect(await card.locator('[data-testid="pipeline-label"]').textContent()).toBe('news/score');
    await expect
      .poll(() => page.locator('[data-testid="host-heartbeat"]').textContent())
      .toMatch(/heartbeat (just now|.* ago)/);
    // The sparkline is drawn from the host's history: the scored job's 3 runs are in it.
    await expect
      .poll(() => card.locator('svg.sparkline').getAttribute('aria-label'), { timeout: 20_000 })
      .toMatch(/: [1-9]\d* in the last 30 minutes/);
    await card.screenshot({ path: join(SHOTS, 'overview-card.png') });
  });

  it('the pipelines view draws the chain across jobs with the number of items on the edge', async () => {
    await go('#/pipelines');
    const group = page.locator('[data-testid="pipeline-group"][data-pipeline="news"]');
    await expect
      .poll(
        () =>
          group
            .locator('[data-from="scored"][data-to="published"]')
            .getAttribute('data-items')
            .catch(() => null),
        { timeout: 30_000 },
      )
      .toBe('2');
    expect(await group.locator('[data-job-node="published"]').textContent()).toContain(
      'Published · publish',
    );
    await page.screenshot({ path: join(SHOTS, 'pipelines-chain.png'), fullPage: true });
  });

  it('an item links down its chain and back up', async () => {
    await go(`#/item/${await itemId('scored', 'edge')}`);
    const down = page.locator('[data-testid="downstream-links"] a');
    await expect.poll(() => down.count(), { timeout: 20_000 }).toBe(1);
    await down.first().click();
    await page.locator('[data-testid="upstream-link"]').waitFor();
    expect(await page.locator('[data-testid="upstream-link"]').textContent()).toContain(
      'in scored',
    );
    expect(await page.locator('main h1').first().textContent()).toBe('Edge story');
    await page.screenshot({ path: join(SHOTS, 'item-chain.png'), fullPage: true });
  });

  it("an item shows the doctor's verdict on its failed stage and the host's why answer", async () => {
    await go(`#/item/${await itemId('buggy', 'i0')}`);
    const verdict = page.locator('[data-testid="doctor-verdict"]');
    await verdict.waitFor({ timeout: 20_000 });
    expect(await verdict.textContent()).toMatch(/Doctor:.*→/s);
    await expect
      .poll(() => page.locator('[data-testid="why-waiting"] li').count())
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'item-doctor.png'), fullPage: true });
  });

  it('settings list providers and models from the config and show key status, never a value', async () => {
    await go('#/settings');
    const row = page.locator('[data-provider="local"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('http://127.0.0.1:9/v1');
    expect(await row.textContent()).toContain('tiny');
    await expect
      .poll(() => row.locator('[data-testid="provider-key-status"]').textContent())
      .toBe('set (env)');
    expect(await page.locator('[data-testid="notifications"]').textContent()).toContain(
      '2 per 5 m 0 s',
    );
    // Storing a key: whatever the store says (keychain or not available headless), the value
    // leaves the field and is never shown back.
    await page.getByLabel('Name').fill('typed-key');
    await page.getByLabel('Value').fill('typed-value-never-shown');
    await page.getByRole('button', { name: 'Save key' }).click();
    await expect
      .poll(() => page.locator('.toast').last().textContent())
      .toMatch(/typed-key|TYPED_KEY/);
    await expect.poll(() => page.getByLabel('Value').inputValue()).toBe('');
    const html = await page.content();
    expect(html).not.toContain(ENV_KEY_VALUE);
    expect(html).not.toContain('typed-value-never-shown');
    await page.screenshot({ path: join(SHOTS, 'settings.png'), fullPage: true });
  });

  it('a broken jobs.yaml shows a banner with file:line while the old config keeps running', async () => {
    await go('#/');
    const file = join(host.dir, 'jobs.yaml');
    writeFileSync(file, YAML.replace('  - id: buggy\n', '  - id: buggy\n    concurency: 2\n'));
    const banner = page.locator('[data-testid="config-error"]');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toMatch(/jobs\.yaml:\d+:\d+/);
    expect(await banner.textContent()).toContain('concurency');
    await page.screenshot({ path: join(SHOTS, 'config-error.png'), fullPage: true });
    // The running jobs are untouched; fixing the file clears the banner.
    expect(await page.locator('[data-job="live"]').count()).toBe(1);
    writeFileSync(file, YAML);
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
  });
});

if (!hasChromium) {
  describe('the dashboard in a real browser', () => {
    it.skip('needs Debian Chromium at /usr/bin/chromium (apt-get install -y chromium)', () =>
      undefined);
  });
}
