import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import type { ErrorRecord } from '../../electron/engine/doctor/types.ts';
import { ERROR_CLASSES } from '../../electron/engine/runner/ErrorClassifier.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(ROOT, 'test/fixtures/errors/corpus.jsonl');
const lines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((l) => l.trim());
const records = lines.map((l) => JSON.parse(l) as ErrorRecord & { expected: string });

describe('the error corpus', () => {
  it('holds at least 80 realistic records covering every class', () => {
    expect(records.length).toBeGreaterThanOrEqual(80);
    for (const cls of ERROR_CLASSES) expect(records.some((r) => r.expected === cls)).toBe(true);
  });

  it('is classified by the rules alone with at least 90% accuracy', async () => {
    const doctor = new Doctor();
    const misses: string[] = [];
    let right = 0;
    for (const r of records) {
      const d = await doctor.diagnose(r, { useLlm: false });
      if (d.class === r.expected) right++;
      else
        misses.push(
          `${r.expected} → ${d.class} (${d.source} ${d.explanation}): ${r.message.slice(0, 80)}`,
        );
    }
    const accuracy = right / records.length;
    console.log(
      `doctor rules-only accuracy: ${right}/${records.length} = ${(accuracy * 100).toFixed(1)}%` +
        (misses.length ? `\n  misses:\n  ${misses.join('\n  ')}` : ''),
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('`jobctl doctor classify --no-llm` prints one JSON verdict per input line', () => {
    const res = spawnSync(
      process.execPath,
      [resolve(ROOT, 'bin/jobctl.mjs'), 'doctor', 'classify', '--no-llm'],
      {
        input: lines.join('\n'),
        encoding: 'utf8',
        cwd: resolve(ROOT, 'test/fixtures/errors'),
        env: {
          ...process.env,
          TRIBUTARY_CONFIG: resolve(ROOT, 'test/fixtures/errors/no-such-jobs.yaml'),
        },
        timeout: 30_000,
      },
    );
    expect(res.status).toBe(0);
    const out = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(lines.length);
    for (const v of out) {
      expect(Object.keys(v)).toEqual(
        expect.arrayContaining(['class', 'action', 'source', 'signature', 'confidence']),
      );
    }
    expect(out[0]).toMatchObject({ class: 'transient', action: 'retry', source: 'rule' });
  });

  it('`jobctl doctor classify` reports a malformed line in place and exits with a usage error', () => {
    const res = spawnSync(
      process.execPath,
      [resolve(ROOT, 'bin/jobctl.mjs'), 'doctor', 'classify', '--no-llm'],
      {
        input: 'not json\n{"message":"read ECONNRESET","code":"ECONNRESET"}\n',
        encoding: 'utf8',
        env: {
          ...process.env,
          TRIBUTARY_CONFIG: resolve(ROOT, 'test/fixtures/errors/no-such-jobs.yaml'),
        },
        timeout: 30_000,
      },
    );
    expect(res.status).toBe(2);
    const out = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out[0]).toHaveProperty('error');
    expect(out[1]).toMatchObject({ class: 'transient' });
  });
});
