import type { ErrorClass } from '../../runner/ErrorClassifier.ts';
import type { RuleHit, RuleTag } from '../types.ts';

/** A table row of a rule family: the class a code or name means, its weight, and a tag. */
export type Entry = readonly [ErrorClass, number, RuleTag?];

/** The hit a table row makes, named `rule`. */
export function hitOf(rule: string, [cls, confidence, tag]: Entry): RuleHit {
  const hit: RuleHit = { class: cls, rule, confidence };
  if (tag) hit.tag = tag;
  return hit;
}
