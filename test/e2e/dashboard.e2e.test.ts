import { mkdirSync } from 'node:fs';
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

const items = (n: number, script: Record<string, string>) =>
  Array.from(
    { length: n },
    (_, i) =>
      `          - { key: i${i}, data: { title: "Item ${i}", script: ${JSON.stringify(script)} } }`,
  ).join('\n');

// `live` runs slowly enough to watch; `broken` fails at once so there is something to retry.
const YAML = `routes:
  default: links
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
    host = await startHeadlessHost(YAML);
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
  });
});

if (!hasChromium) {
  describe('the dashboard in a real browser', () => {
    it.skip('needs Debian Chromium at /usr/bin/chromium (apt-get install -y chromium)', () =>
      undefined);
  });
}
