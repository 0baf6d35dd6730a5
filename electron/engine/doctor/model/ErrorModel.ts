import { ERROR_CLASSES, type ErrorClass } from '../../runner/ErrorClassifier.ts';
import type { ErrorRecord } from '../types.ts';
import { errorTokens } from './errorTokens.ts';
import shipped from './errorModel.json' with { type: 'json' };

/** The trained model as shipped (errorModel.json): document counts per class and feature. */
export interface ErrorModelData {
  /** What it was trained on (files and record count), for the person reading the JSON. */
  trainedOn: string;
  classes: ErrorClass[];
  /** Records per class. */
  docs: number[];
  /** feature → records of each class (in `classes` order) that contain it. */
  features: Record<string, number[]>;
}

export interface ModelVerdict {
  class: ErrorClass;
  /** The posterior probability of that class. */
  confidence: number;
  /** The features that pulled hardest toward it, strongest first. */
  evidence: string[];
}

/** Laplace smoothing: a feature never seen with a class is unlikely, not impossible. */
const ALPHA = 0.5;

/**
 * A Bernoulli naive Bayes over error features (errorTokens), trained offline from the
 * labelled corpora of real errors (scripts/train-error-model.ts) and shipped as JSON. It runs
 * in microseconds and never leaves the machine. The doctor asks it after the rules and the
 * cache and before the LLM, and acts only on a confident answer; its explanation names the
 * words that decided, so a person can see why.
 *
 * Only features present in the record are scored (absent ones say little in short texts);
 * unknown features are skipped.
 */
export class ErrorModel {
  private readonly logPrior: number[];
  private readonly logLik = new Map<string, number[]>();

  constructor(readonly data: ErrorModelData) {
    const total = data.docs.reduce((a, b) => a + b, 0);
    this.logPrior = data.docs.map((d) => Math.log((d + 1) / (total + data.classes.length)));
    for (const [f, counts] of Object.entries(data.features)) {
      this.logLik.set(
        f,
        counts.map((c, k) => Math.log((c + ALPHA) / (data.docs[k]! + 2 * ALPHA))),
      );
    }
  }

  classify(r: ErrorRecord): ModelVerdict | undefined {
    const feats = errorTokens(r).filter((f) => this.logLik.has(f));
    if (feats.length === 0) return undefined;
    const scores = [...this.logPrior];
    for (const f of feats) {
      const ll = this.logLik.get(f)!;
      for (let k = 0; k < scores.length; k++) scores[k]! += ll[k]!;
    }
    const max = Math.max(...scores);
    const exp = scores.map((s) => Math.exp(s - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    let best = 0;
    for (let k = 1; k < exp.length; k++) if (exp[k]! > exp[best]!) best = k;
    const evidence = feats
      .map((f) => {
        const ll = this.logLik.get(f)!;
        const others = Math.max(...ll.filter((_, k) => k !== best));
        return { f, lift: ll[best]! - others };
      })
      .filter((x) => x.lift > 0)
      .sort((a, b) => b.lift - a.lift)
      .slice(0, 4)
      .map((x) => x.f);
    return { class: this.data.classes[best]!, confidence: exp[best]! / sum, evidence };
  }
}

/**
 * Counts features per class over labelled records. Features seen in fewer than `minDocs`
 * records are dropped: a word that appeared once teaches nothing and bloats the file.
 */
export function trainErrorModel(
  records: readonly (ErrorRecord & { expected: string })[],
  trainedOn: string,
  minDocs = 2,
): ErrorModelData {
  const classes = [...ERROR_CLASSES];
  const docs = classes.map(() => 0);
  const counts = new Map<string, number[]>();
  for (const r of records) {
    const k = classes.indexOf(r.expected as ErrorClass);
    if (k < 0) continue;
    docs[k]!++;
    for (const f of errorTokens(r)) {
      let c = counts.get(f);
      if (!c) counts.set(f, (c = classes.map(() => 0)));
      c[k]!++;
    }
  }
  const features: Record<string, number[]> = {};
  for (const f of [...counts.keys()].sort()) {
    const c = counts.get(f)!;
    if (c.reduce((a, b) => a + b, 0) >= minDocs) features[f] = c;
  }
  return { trainedOn, classes, docs, features };
}

let loaded: ErrorModel | undefined;

/** The model shipped with the app (errorModel.json), loaded once. */
export function shippedErrorModel(): ErrorModel {
  return (loaded ??= new ErrorModel(shipped as ErrorModelData));
}
