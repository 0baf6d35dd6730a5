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
  // Codes written as words (`ServerIsUnderMaintenance`, `UNDER_MAINTENANCE`, `MarketNotOpen`)
  // say the same as the sentence; read them spelled out too.
  const spelled = /[a-z][A-Z]|[A-Za-z]_[A-Za-z]/.test(raw)
    ? raw.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Za-z])_(?=[A-Za-z])/g, '$1 ')
    : undefined;
  const hits: RuleHit[] = [];
  for (const ph of PHRASES) {
    const m =
      ph.re.exec(raw) ??
      (stripped !== undefined ? ph.re.exec(stripped) : null) ??
      (spelled !== undefined ? ph.re.exec(spelled) : null);
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
