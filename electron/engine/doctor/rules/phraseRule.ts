import type { Rule, RuleHit } from '../types.ts';
import { PHRASES } from './phrases.ts';

/**
 * Every phrase of the table that the error's text contains, with the words that matched.
 * Markup is read as text (`exceeded your <a href=…>quota</a>` says "exceeded your quota").
 */
export const phraseRule: Rule = (_r, raw) => {
  const stripped = raw.includes('<')
    ? raw.replace(/<[^<>]{0,300}>/g, '').replace(/[ \t]+/g, ' ')
    : undefined;
  const hits: RuleHit[] = [];
  for (const ph of PHRASES) {
    const m = ph.re.exec(raw) ?? (stripped !== undefined ? ph.re.exec(stripped) : null);
    if (!m) continue;
    const hit: RuleHit = {
      class: ph.class,
      rule: `phrase.${ph.name}`,
      confidence: ph.weight,
      evidence: m[0].slice(0, 80),
    };
    if (ph.tag) hit.tag = ph.tag;
    if (ph.scope) hit.scope = ph.scope;
    hits.push(hit);
  }
  return hits;
};
