import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/testEngine.ts';

const HANDLER = resolve(import.meta.dirname, '../fixtures/discovery/scoreHandler.ts');

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const yaml = (where: string) => `jobs:
  - id: scored
    pipeline: news/score
    handler: ${HANDLER}
    discovery:
      strategy: static
      params:
        items:
          - { key: low, data: { n: 3 } }
          - { key: edge, data: { n: 10 } }
          - { key: high, data: { n: 42, lang: de } }
    stages:
      - name: score
  - id: published
    pipeline: news/publish
    handler: ${HANDLER}
    discovery:
      strategy: tracker_query
      params: { job: scored, stage: score, ${where} }
    stages:
      - name: publish
`;

describe('chained jobs', () => {
  it('takes only upstream items over the score threshold and links back to them', async () => {
    t = await startTestEngine(yaml('min_score: 10'));
    await t.engine.discovery.runNow('scored');
    await t.engine.waitIdle();
    await t.engine.discovery.runNow('published');
    await t.engine.waitIdle();
    const rows = t.db
      .prepare(
        `SELECT d.item_key AS key, u.item_key AS upstream, r.output FROM items d
           JOIN items u ON u.id = d.source_item_id
           JOIN results r ON r.item_id = d.id AND r.stage = 'publish'
          WHERE d.job_id = 'published' ORDER BY d.item_key`,
      )
      .all() as { key: string; upstream: string; output: string }[];
    expect(rows.map((r) => [r.key, r.upstream, JSON.parse(r.output).from])).toEqual([
      ['edge', 'edge', 'edge'],
      ['high', 'high', 'high'],
    ]);
  });

  it('reads only what is new on the next round (the cursor survives in the state)', async () => {
    t = await startTestEngine(yaml('where: { lang: de }'));
    await t.engine.discovery.runNow('scored');
    await t.engine.waitIdle();
    await t.engine.discovery.runNow('published');
    await t.engine.discovery.runNow('published');
    const rounds = (
      t.db
        .prepare(`SELECT data FROM events WHERE kind = 'discovery_round' AND job_id = 'published'`)
        .all() as {
        data: string;
      }[]
    ).map((r) => JSON.parse(r.data));
    expect(rounds.map((r) => [r.found, r.new])).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });
});
