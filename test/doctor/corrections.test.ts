import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/engine/db/openDatabase.ts';
import { CorrectionStore } from '../../electron/engine/doctor/CorrectionStore.ts';
import { parseCorrectionLines } from '../../electron/engine/doctor/correctionsFile.ts';
import { failures, itemDecisions } from '../../electron/engine/doctor/decisions.ts';
import { Doctor } from '../../electron/engine/doctor/Doctor.ts';
import { insertDecisionSql } from '../../electron/engine/doctor/queries/insertDecision.ts';
import type { ErrorRecord } from '../../electron/engine/doctor/types.ts';
import { coerceError } from '../../electron/engine/runner/coerceError.ts';
import { dbFile } from '../../electron/engine/runner/Host.ts';
import { runJobctl } from '../helpers/hostProcess.ts';
import { SCRIPTED, tempDir } from '../helpers/testEngine.ts';

/** A rate limit the rules know: without a correction it is `rate_limited`, by rule. */
const TOO_MANY: ErrorRecord = { message: 'HTTP 429 Too Many Requests', status: 429 };

function seedDecision(db: Db, signature: string, over: Record<string, unknown> = {}): void {
  db.prepare(insertDecisionSql).run({
    ts: Date.now(),
    jobId: 'demo',
    itemId: null,
    stage: 'fetch',
    attempt: 1,
    signature,
    class: 'transient',
    action: 'retry',
    source: 'fallback',
    confidence: 0.3,
    rule: 'no rule matched',
    message: 'upstream said no',
    paused: 0,
    ...over,
  });
}

describe('CorrectionStore on a real SQLite file', () => {
  let t: ReturnType<typeof tempDir>;
  let db: Db | undefined;
  const open = () => (db = openDatabase(join(t.dir, 'tributary.db')));
  beforeAll(() => (t = tempDir()));
  afterEach(() => {
    db?.close();
    db = undefined;
  });
  afterAll(() => t.cleanup());

  function store(): CorrectionStore {
    const s = new CorrectionStore();
    s.useDb(open());
    return s;
  }

  it('teaches, reads back counting each use, and keeps the count when taught again', () => {
    const s = store();
    const c = s.teach(
      { signature: '  HTTP 403: Forbidden ', class: 'item_specific', note: 'geo' },
      1000,
    );
    expect(c).toEqual({
      signature: 'HTTP 403: Forbidden',
      class: 'item_specific',
      action: null,
      note: 'geo',
      createdAt: 1000,
      hits: 0,
      lastHitAt: null,
    });
    expect(s.get('HTTP 403: Forbidden', 2000)?.class).toBe('item_specific');
    expect(s.peek('HTTP 403: Forbidden')).toMatchObject({ hits: 1, lastHitAt: 2000 });
    s.teach({ signature: 'HTTP 403: Forbidden', class: 'systemic', action: 'pause_job' }, 3000);
    expect(s.peek('HTTP 403: Forbidden')).toMatchObject({
      class: 'systemic',
      action: 'pause_job',
      note: null,
      createdAt: 3000,
      hits: 1,
    });
  });

  it('lists newest first and forgets, saying whether there was one', () => {
    const s = store();
    s.teach({ signature: 'older', class: 'transient' }, 10);
    s.teach({ signature: 'newer', class: 'code_bug' }, 20);
    expect(
      s
        .list()
        .map((c) => c.signature)
        .filter((x) => x === 'older' || x === 'newer'),
    ).toEqual(['newer', 'older']);
    expect(s.forget('older')).toBe(true);
    expect(s.forget('older')).toBe(false);
    expect(s.peek('older')).toBeUndefined();
  });

  it('refuses an unknown class, action or an empty signature with a message naming the field', () => {
    const s = store();
    expect(() => s.teach({ signature: 'x', class: 'bogus' as never })).toThrow(
      /unknown class `bogus`; one of: transient, rate_limited/,
    );
    expect(() => s.teach({ signature: 'x', class: 'transient', action: 'nap' as never })).toThrow(
      /unknown action `nap`; one of: retry, fail_item/,
    );
    expect(() => s.teach({ signature: '  ', class: 'transient' })).toThrow(/`signature`/);
    expect(() => s.teach({ signature: 'x', class: 'transient', note: 'n'.repeat(501) })).toThrow(
      /`note` is longer than 500/,
    );
  });

  it('redacts a key quoted in a pasted signature or note, as every stored message is', () => {
    const s = store();
    const c = s.teach({
      signature: 'Incorrect API key provided: sk-abcdef1234567890',
      class: 'systemic',
      note: 'rotated ghp_abcdefghijklmnopqrstuvwxyz',
    });
    expect(c.signature).toBe('Incorrect API key provided: [secret:api-key]');
    expect(c.note).toMatch(/^rotated \[secret:[a-z-]+\]$/);
    expect(s.peek('Incorrect API key provided: [secret:api-key]')?.class).toBe('systemic');
  });

  it('counts the past decisions and jobs a signature matched', () => {
    const s = store();
    seedDecision(db!, 'seen twice');
    seedDecision(db!, 'seen twice', { jobId: 'other' });
    expect(s.matches('seen twice')).toEqual({ decisions: 2, jobs: 2 });
    expect(s.matches('never seen')).toEqual({ decisions: 0, jobs: 0 });
  });

  it('imports in one go: adds, updates, leaves identical ones alone and, with replace, removes the rest', () => {
    const s = store();
    for (const c of s.list()) s.forget(c.signature);
    s.teach({ signature: 'same', class: 'transient' }, 1);
    s.teach({ signature: 'changed', class: 'transient' }, 1);
    s.teach({ signature: 'gone', class: 'transient' }, 1);
    const counts = s.importAll(
      [
        { signature: 'same', class: 'transient', action: null, note: null },
        { signature: 'changed', class: 'systemic' },
        { signature: 'new', class: 'temporal', action: 'pause_until', note: 'nightly' },
      ],
      { replace: true },
      5,
    );
    expect(counts).toEqual({ added: 1, updated: 1, unchanged: 1, removed: 1 });
    expect(s.peek('same')?.createdAt).toBe(1);
    expect(
      s
        .list()
        .map((c) => c.signature)
        .sort(),
    ).toEqual(['changed', 'new', 'same']);
  });

  it('marks failure groups and item decisions whose signature has a correction', () => {
    const s = store();
    seedDecision(db!, 'marked', { itemId: 42 });
    seedDecision(db!, 'unmarked', { itemId: 42 });
    s.teach({ signature: 'marked', class: 'item_specific', action: 'skip' });
    const bySig = new Map(failures(db!, 'demo').groups.map((g) => [g.signature, g.taught]));
    expect(bySig.get('marked')).toEqual({ class: 'item_specific', action: 'skip' });
    expect(bySig.get('unmarked')).toBeNull();
    expect(itemDecisions(db!, 42).map((d) => [d.signature, d.taught?.class ?? null])).toEqual([
      ['unmarked', null],
      ['marked', 'item_specific'],
    ]);
  });
});

describe('the corrections file', () => {
  it('reads good lines and names the line and field of every bad one', () => {
    const { corrections, problems } = parseCorrectionLines(
      [
        '{"signature":"a","class":"transient","action":null,"note":null,"extra":1}',
        '',
        'not json',
        '{"signature":"b","class":"nope"}',
        '{"signature":"c","class":"systemic","action":"nap"}',
        '["signature"]',
        '{"signature":"a","class":"code_bug"}',
      ].join('\n'),
    );
    expect(corrections).toEqual([
      { line: 1, signature: 'a', class: 'transient', action: null, note: null },
    ]);
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [3, null],
      [4, 'class'],
      [5, 'action'],
      [6, null],
      [7, 'signature'],
    ]);
    expect(problems[4]!.message).toBe('the same signature as line 1');
  });
});

describe('the doctor with a correction', () => {
  let t: ReturnType<typeof tempDir>;
  let db: Db | undefined;
  let n = 0;
  beforeAll(() => (t = tempDir()));
  afterEach(() => {
    db?.close();
    db = undefined;
  });
  afterAll(() => t.cleanup());
  /** A fresh database file per test, with the rate limit's signature taught as given. */
  async function taught(
    c: { class: 'item_specific'; action?: 'skip'; note?: string } = { class: 'item_specific' },
  ): Promise<{ doctor: Doctor; signature: string; file: string }> {
    const file = join(t.dir, `doctor-${++n}.db`);
    db = openDatabase(file);
    const doctor = new Doctor({ db });
    const ruled = await doctor.diagnose(TOO_MANY, { useLlm: false });
    expect([ruled.source, ruled.class]).toEqual(['rule', 'rate_limited']);
    doctor.corrections.teach({ signature: ruled.signature, ...c });
    return { doctor, signature: ruled.signature, file };
  }

  it('follows the correction over a rule that says otherwise, with its action override', async () => {
    const { doctor, signature } = await taught({
      class: 'item_specific',
      action: 'skip',
      note: 'this API says 429 for a deleted item',
    });
    const d = await doctor.diagnose(TOO_MANY, { useLlm: false });
    expect(d).toMatchObject({
      source: 'correction',
      class: 'item_specific',
      action: 'skip',
      signature,
      confidence: 1,
    });
    expect(d.explanation).toContain('this API says 429 for a deleted item');
    expect(doctor.corrections.peek(signature)?.hits).toBe(1);
  });

  it('stores a corrected stage failure as a decision from the correction', async () => {
    db = openDatabase(join(t.dir, `doctor-${++n}.db`));
    const doctor = new Doctor({ db });
    const failure = () =>
      coerceError(Object.assign(new Error('HTTP 429 Too Many Requests'), { status: 429 }));
    const ctx = { jobId: 'demo', stage: 'fetch', attempt: 1 };
    const ruled = await doctor.classify(failure(), ctx);
    expect([ruled.source, ruled.class]).toEqual(['rule', 'rate_limited']);
    doctor.corrections.teach({
      signature: ruled.signature!,
      class: 'item_specific',
      action: 'skip',
    });
    const v = await doctor.classify(failure(), { ...ctx, attempt: 2 });
    expect([v.source, v.action]).toEqual(['correction', 'skip']);
    const groups = failures(db, 'demo').groups;
    expect(groups.map((g) => [g.source, g.class, g.taught?.class])).toEqual([
      ['correction', 'item_specific', 'item_specific'],
      ['rule', 'rate_limited', 'item_specific'],
    ]);
  });

  it('still follows it after the database is opened again, and the rule judges again once forgotten', async () => {
    const { signature, file } = await taught();
    db!.close();
    db = openDatabase(file);
    let doctor = new Doctor({ db });
    expect((await doctor.diagnose(TOO_MANY, { useLlm: false })).source).toBe('correction');
    expect(doctor.corrections.forget(signature)).toBe(true);
    db.close();
    db = openDatabase(file);
    doctor = new Doctor({ db });
    const d = await doctor.diagnose(TOO_MANY, { useLlm: false });
    expect([d.source, d.class, d.action]).toEqual(['rule', 'rate_limited', 'retry']);
  });
});

describe('jobctl doctor teach, corrections, forget, export and import', () => {
  const t = tempDir();
  const config = join(t.dir, 'jobs.yaml');
  const SEEN = 'Error: upstream said <q>';
  beforeAll(() => {
    writeFileSync(
      config,
      `data_dir: ./data
jobs:
  - id: demo
    handler: ${SCRIPTED}
    stages:
      - { name: fetch }
`,
    );
    // Past decisions as a running host would have stored them.
    const db = openDatabase(dbFile(join(t.dir, 'data')));
    seedDecision(db, SEEN);
    seedDecision(db, SEEN);
    db.close();
  });
  afterAll(() => t.cleanup());

  const jobctl = (...args: string[]) => runJobctl(['--config', config, ...args]);
  async function json<T>(...args: string[]): Promise<T> {
    const r = await jobctl('--json', ...args);
    expect(r.code, r.out).toBe(0);
    return JSON.parse(r.out) as T;
  }
  const listed = async () =>
    (await json<{ corrections: { signature: string; class: string }[] }>('doctor', 'corrections'))
      .corrections;

  it('teach refuses an unknown class or action with exit 2 and the valid values', async () => {
    const cls = await jobctl('doctor', 'teach', SEEN, 'flaky');
    expect(cls.code).toBe(2);
    expect(cls.out).toMatch(
      /unknown class `flaky`; one of: transient, rate_limited, item_specific/,
    );
    const action = await jobctl('doctor', 'teach', SEEN, 'transient', '--action', 'nap');
    expect(action.code).toBe(2);
    expect(action.out).toMatch(/one of: retry, fail_item, skip, pause_job, pause_until/);
    expect(await listed()).toEqual([]);
  });

  it('teach stores it and says how many past decisions the signature matched', async () => {
    const human = await jobctl('doctor', 'teach', SEEN, 'item_specific', '--note', 'gone for good');
    expect(human.code, human.out).toBe(0);
    expect(human.out).toContain('taught: `Error: upstream said <q>` → item_specific');
    expect(human.out).toContain('matches 2 past decisions in 1 job');
    const typo = await json<{ matched: { decisions: number }; warning: string | null }>(
      'doctor',
      'teach',
      'Error: upstreem said <q>',
      'transient',
      '--action',
      'retry',
    );
    expect(typo.matched.decisions).toBe(0);
    expect(typo.warning).toMatch(/mistyped/);
    const warned = await jobctl(
      'doctor',
      'teach',
      'Error: upstreem said <q>',
      'transient',
      '--action',
      'retry',
    );
    expect(warned.out).toMatch(/warning: no past decision has this signature/);
  });

  it('corrections lists them and failures shows the full signature marked as taught', async () => {
    expect((await listed()).map((c) => [c.signature, c.class]).sort()).toEqual([
      ['Error: upstream said <q>', 'item_specific'],
      ['Error: upstreem said <q>', 'transient'],
    ]);
    const table = await jobctl('doctor', 'corrections');
    expect(table.out).toMatch(/class\s+action\s+note\s+taught\s+hits\s+last used\s+signature/);
    expect(table.out).toContain('gone for good');
    const f = await jobctl('failures', 'demo');
    expect(f.code, f.out).toBe(0);
    expect(f.out).toMatch(/→ item_specific\s+Error: upstream said <q>/);
  });

  it('export then import restores the same corrections, and --replace drops the others', async () => {
    const out = join(t.dir, 'corrections.jsonl');
    expect((await jobctl('doctor', 'export-corrections', '-o', out)).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { signature: SEEN, class: 'item_specific', action: null, note: 'gone for good' },
      { signature: 'Error: upstreem said <q>', class: 'transient', action: 'retry', note: null },
    ]);
    const stdout = await jobctl('doctor', 'export-corrections');
    expect(stdout.out).toBe(`${lines.join('\n')}\n`);

    const empty = join(t.dir, 'empty.jsonl');
    writeFileSync(empty, '');
    expect(await json('doctor', 'import-corrections', empty, '--replace')).toMatchObject({
      removed: 2,
    });
    expect(await listed()).toEqual([]);
    expect(await json('doctor', 'import-corrections', out)).toMatchObject({
      added: 2,
      updated: 0,
      removed: 0,
    });
    expect(await json('doctor', 'import-corrections', out)).toMatchObject({ unchanged: 2 });
    expect((await jobctl('doctor', 'export-corrections')).out).toBe(stdout.out);
  });

  it('import names file:line and the field of every bad line and imports nothing', async () => {
    const bad = join(t.dir, 'bad.jsonl');
    writeFileSync(
      bad,
      [
        '{"signature":"fine","class":"transient"}',
        '{"signature":"broken",',
        '{"signature":"wrong","class":"flaky"}',
        '{"signature":"","class":"transient"}',
      ].join('\n'),
    );
    const before = await listed();
    const r = await jobctl('doctor', 'import-corrections', bad);
    expect(r.code).toBe(2);
    expect(r.out).toContain('3 bad lines; nothing imported');
    expect(r.out).toContain(`${bad}:2: not JSON`);
    expect(r.out).toContain(`${bad}:3: class: unknown class \`flaky\``);
    expect(r.out).toContain(`${bad}:4: signature:`);
    expect(await listed()).toEqual(before);
  });

  it('forget removes one, and exits 4 when there is none', async () => {
    expect(await json('doctor', 'forget', 'Error: upstreem said <q>')).toEqual({
      forgotten: true,
      signature: 'Error: upstreem said <q>',
    });
    const again = await jobctl('doctor', 'forget', 'Error: upstreem said <q>');
    expect(again.code).toBe(4);
    expect(again.out).toMatch(/no correction for signature/);
    expect((await listed()).map((c) => c.signature)).toEqual([SEEN]);
  });
});
