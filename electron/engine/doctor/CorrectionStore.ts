import type { Db } from '../db/openDatabase.ts';
import type { ErrorClass } from '../runner/ErrorClassifier.ts';
import { correctionProblem, type CorrectionInput } from './correctionFields.ts';
import {
  bumpCorrectionHitSql,
  countSignatureDecisionsSql,
  deleteCorrectionSql,
  listCorrectionsSql,
  selectCorrectionSql,
  upsertCorrectionSql,
} from './queries/corrections.ts';
import { redact } from './redact.ts';
import type { DoctorAction } from './types.ts';

/** A person's verdict for one error signature. */
export interface Correction {
  signature: string;
  class: ErrorClass;
  /** Overrides the class's usual action (null: the usual one). */
  action: DoctorAction | null;
  note: string | null;
  /** When it was (last) taught. */
  createdAt: number;
  /** Diagnoses it decided. */
  hits: number;
  lastHitAt: number | null;
}

/** Past decisions a signature matched: proof that a taught signature is not a typo. */
export interface SignatureMatches {
  decisions: number;
  jobs: number;
}

/** What an import changed; `unchanged` lines were already taught exactly so. */
export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/**
 * Operator corrections by signature (doctor_corrections). The doctor reads them before its
 * rules and cache; `jobctl doctor teach/forget/corrections/import-corrections` and the
 * dashboard write them, straight to the database, so a running host sees them at its next
 * diagnosis. Without a database (the CLI's `doctor classify` outside a project) they live in
 * memory.
 */
export class CorrectionStore {
  private readonly memory = new Map<string, Correction>();
  private db: Db | undefined;

  useDb(db: Db): void {
    this.db = db;
  }

  /** The correction for a signature, counted as used. */
  get(signature: string, now = Date.now()): Correction | undefined {
    if (!this.db) return this.memory.get(signature);
    const row = this.db.prepare(selectCorrectionSql).get({ signature }) as Correction | undefined;
    if (row) this.db.prepare(bumpCorrectionHitSql).run({ signature, now });
    return row;
  }

  /** The correction for a signature without counting a use (listings, imports). */
  peek(signature: string): Correction | undefined {
    if (!this.db) return this.memory.get(signature);
    return this.db.prepare(selectCorrectionSql).get({ signature }) as Correction | undefined;
  }

  teach(input: CorrectionInput, now = Date.now()): Correction {
    const c = checkCorrection(input);
    if (!this.db) {
      const prev = this.memory.get(c.signature);
      const row: Correction = {
        ...c,
        createdAt: now,
        hits: prev?.hits ?? 0,
        lastHitAt: prev?.lastHitAt ?? null,
      };
      this.memory.set(c.signature, row);
      return row;
    }
    this.db.prepare(upsertCorrectionSql).run({ ...c, now });
    return this.db.prepare(selectCorrectionSql).get({ signature: c.signature }) as Correction;
  }

  /** Returns whether the signature had a correction (given as taught: trimmed, redacted). */
  forget(raw: string): boolean {
    const signature = redact(raw.trim());
    if (!this.db) return this.memory.delete(signature);
    return this.db.prepare(deleteCorrectionSql).run({ signature }).changes > 0;
  }

  list(): Correction[] {
    if (!this.db) return [...this.memory.values()];
    return this.db.prepare(listCorrectionsSql).all() as Correction[];
  }

  /** How many stored decisions (in how many jobs) had this signature. */
  matches(signature: string): SignatureMatches {
    if (!this.db) return { decisions: 0, jobs: 0 };
    return this.db.prepare(countSignatureDecisionsSql).get({ signature }) as SignatureMatches;
  }

  /**
   * Teaches every correction (already validated: see correctionsFile.ts) in one transaction;
   * with `replace`, forgets those not in the list. A line taught exactly so already is left
   * alone, so its `createdAt` keeps saying when a person decided it.
   */
  importAll(
    list: readonly CorrectionInput[],
    opts: { replace?: boolean } = {},
    now = Date.now(),
  ): ImportCounts {
    const run = (): ImportCounts => {
      const counts: ImportCounts = { added: 0, updated: 0, unchanged: 0, removed: 0 };
      const keep = new Set<string>();
      for (const input of list) {
        const c = checkCorrection(input);
        keep.add(c.signature);
        const prev = this.peek(c.signature);
        if (prev && prev.class === c.class && prev.action === c.action && prev.note === c.note) {
          counts.unchanged++;
          continue;
        }
        this.teach(c, now);
        if (prev) counts.updated++;
        else counts.added++;
      }
      if (opts.replace) {
        for (const old of this.list())
          if (!keep.has(old.signature) && this.forget(old.signature)) counts.removed++;
      }
      return counts;
    };
    // One transaction: a failure half-way (a locked database) leaves nothing half-imported.
    return this.db ? this.db.transaction(run)() : run();
  }
}

/**
 * Validates a correction (correctionProblem) and returns it normalized, or throws the problem.
 * Signature and note pass through redact(), like everything the doctor stores: a pasted raw
 * message may quote a key. Real signatures are already redacted, and redact() leaves its own
 * output alone, so they still match.
 */
export function checkCorrection(input: CorrectionInput): Required<CorrectionInput> {
  const problem = correctionProblem(input);
  if (problem) throw new Error(problem.message);
  const note = input.note?.trim();
  return {
    signature: redact(input.signature.trim()),
    class: input.class,
    action: input.action ?? null,
    note: note ? redact(note) : null,
  };
}
