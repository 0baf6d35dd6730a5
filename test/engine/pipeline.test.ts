import { afterEach, describe, expect, it } from 'vitest';
import { counts, scriptedJob, startTestEngine, type TestEngine } from '../helpers/testEngine.ts';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const threeStages = `      - { name: fetch, concurrency: 3 }
      - { name: extract, concurrency: 2 }
      - { name: score, concurrency: 1 }`;

describe('a linear pipeline', () => {
  it('moves every item through every stage and stores each stage result', async () => {
    t = await startTestEngine(scriptedJob('lin', threeStages));
    t.engine.addItems(
      'lin',
      Array.from({ length: 25 }, (_, i) => ({ key: `k${i}`, data: {} })),
    );
    await t.engine.waitIdle();
    expect(counts(t.db, 'lin')).toEqual({
      fetch: { done: 25 },
      extract: { done: 25 },
      score: { done: 25 },
    });
    const r = t.db.prepare(`SELECT output FROM results WHERE stage = 'score' LIMIT 1`).get() as {
      output: string;
    };
    expect(JSON.parse(r.output).upstream).toEqual(['extract', 'fetch']);
  });

  it('re-adding known keys does not reset their progress', async () => {
    t = await startTestEngine(scriptedJob('lin', threeStages));
    t.engine.addItems('lin', [{ key: 'a', data: {} }]);
    await t.engine.waitIdle();
    const again = t.engine.addItems('lin', [
      { key: 'a', data: {} },
      { key: 'b', data: {} },
    ]);
    expect(again.inserted).toBe(1);
    await t.engine.waitIdle();
    expect(counts(t.db, 'lin').score).toEqual({ done: 2 });
  });
});
