import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import type { ErrorRecord } from '../../electron/engine/doctor/types.ts';
import { ERROR_CLASSES } from '../../electron/engine/runner/ErrorClassifier.ts';
import { corpusFiles, score } from '../../bench/doctorAccuracy.bench.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CORPUS = resolve(ROOT, 'test/fixtures/errors/corpus.jsonl');
const lines = readFileSync(CORPUS, 'utf8')
  .split('\n')
  .filter((l) => l.trim());
const records = lines.map((l) => JSON.parse(l) as ErrorRecord & { expected: string });

/** Runs `jobctl doctor classify --no-llm` outside any project on `input`. */
function classifyCli(input: string) {
  const res = spawnSync(
    process.execPath,
    [resolve(ROOT, 'bin/jobctl.mjs'), 'doctor', 'classify', '--no-llm'],
    {
      input,
      encoding: 'utf8',
      cwd: resolve(ROOT, 'test/fixtures/errors'),
      env: {
        ...process.env,
        TRIBUTARY_CONFIG: resolve(ROOT, 'test/fixtures/errors/no-such-jobs.yaml'),
      },
      timeout: 30_000,
    },
  );
  const out = res.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { res, out };
}

describe('the error corpus', () => {
  it('holds at least 80 realistic records covering every class', () => {
    expect(records.length).toBeGreaterThanOrEqual(80);
    for (const cls of ERROR_CLASSES) expect(records.some((r) => r.expected === cls)).toBe(true);
  });

  it('is classified without the LLM (rules, then the error model) with at least 90% accuracy', async () => {
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

  it('holds at least 300 real records with provenance, a held-out part never tuned on, every class in both', () => {
    const real = corpusFiles().filter((f) => !f.endsWith('/corpus.jsonl'));
    let total = 0;
    for (const f of real) {
      const recs = readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as { expected: string; source?: string });
      total += recs.length;
      for (const r of recs) expect(r.source, f).toBeTruthy();
      for (const cls of ERROR_CLASSES)
        expect(
          recs.some((r) => r.expected === cls),
          `${f} ${cls}`,
        ).toBe(true);
    }
    expect(total).toBeGreaterThanOrEqual(300);
    expect(real.some((f) => f.endsWith('/holdout.jsonl'))).toBe(true);
  });

  // Guards against regressions, not targets: the figures themselves are printed by
  // `npm run bench:doctor` (the held-out parts are never used to write rules).
  it.each(corpusFiles().filter((f) => !f.endsWith('/corpus.jsonl')))(
    'classifies the real corpus %s without the LLM (rules, then the error model)',
    async (file) => {
      const s = await score(file);
      console.log(
        `${file.replace(ROOT + '/', '')}: ${s.right}/${s.total} = ${((100 * s.right) / s.total).toFixed(1)}%`,
      );
      expect(s.right / s.total).toBeGreaterThanOrEqual(
        file.endsWith('holdout.jsonl') ? 0.75 : 0.95,
      );
    },
  );

  it('`jobctl doctor classify --no-llm` prints one JSON verdict per input line', () => {
    const { res, out } = classifyCli(lines.join('\n'));
    expect(res.status).toBe(0);
    expect(out).toHaveLength(lines.length);
    for (const v of out) {
      expect(Object.keys(v)).toEqual(
        expect.arrayContaining(['class', 'action', 'source', 'signature', 'confidence']),
      );
    }
    expect(out[0]).toMatchObject({ class: 'transient', action: 'retry', source: 'rule' });
  });

  it('`jobctl doctor classify` reports a malformed line in place, with its number, and exits with a usage error', () => {
    const { res, out } = classifyCli(
      'not json\n{"message":"read ECONNRESET","code":"ECONNRESET"}\n\n{"name":"Error"}\n{"status":"soon","message":"x"}\n',
    );
    expect(res.status).toBe(2);
    expect(out[0]).toMatchObject({
      line: 1,
      error: expect.stringMatching(/^invalid record: line 1: not a JSON object/),
    });
    expect(out[1]).toMatchObject({ class: 'transient' });
    expect(out[2]).toMatchObject({
      line: 4,
      error: 'invalid record: line 4: needs at least one of `message`, `stderr` or `body`',
    });
    expect(out[3]).toMatchObject({
      line: 5,
      error: 'invalid record: line 5: `status`: expected a number',
    });
    expect(res.stderr).toContain('3 invalid lines');
  });

  it('`jobctl doctor classify` accepts a record of only stderr or only a body', () => {
    const { res, out } = classifyCli(
      [
        JSON.stringify({
          stderr: 'ERROR: [youtube] x1y2z3: Sign in to confirm your age. Use --cookies',
        }),
        JSON.stringify({
          status: 503,
          body: '<html><body><h1>Down for maintenance</h1></body></html>',
        }),
      ].join('\n'),
    );
    expect(res.status).toBe(0);
    expect(out[0]).toMatchObject({ class: 'item_specific', source: 'rule' });
    expect(out[1]).toMatchObject({ class: 'temporal', action: 'pause_until' });
  });
});
