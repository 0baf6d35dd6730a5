// Writes docs/jobs-yaml.md from the schema. Run with `npm run docs:config`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigDocs } from '../electron/engine/config/renderConfigDocs.ts';

const out = join(import.meta.dirname, '..', 'docs', 'jobs-yaml.md');
mkdirSync(join(import.meta.dirname, '..', 'docs'), { recursive: true });
writeFileSync(out, renderConfigDocs());
console.log(`wrote ${out}`);
