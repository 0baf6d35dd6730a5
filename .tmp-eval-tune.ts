import { readFileSync } from 'node:fs';
import { inlineCredential } from './electron/engine/secrets/credentialPatterns.ts';
const load = (f: string) => readFileSync(`test/fixtures/secrets/${f}`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const pos = load('positives.tune.jsonl');
const neg = load('negatives.tune.jsonl');
let miss = 0, fp = 0;
for (const r of pos) if (!inlineCredential(r.key ?? undefined, r.value)) { miss++; console.log('MISS', r.kind, '|', r.key, '|', r.value.slice(0, 140).replace(/\n/g, '\\n')); }
for (const r of neg) { const h = inlineCredential(r.key ?? undefined, r.value); if (h) { fp++; console.log('FP', h.kind, '|', r.key, '|', r.value.slice(0, 140).replace(/\n/g, '\\n')); } }
console.log(`tune: ${pos.length - miss}/${pos.length} recall, ${fp}/${neg.length} FP`);
