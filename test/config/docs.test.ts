import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  renderConfigDocs,
  undocumentedFields,
} from '../../electron/engine/config/renderConfigDocs.ts';

describe('docs/jobs-yaml.md', () => {
  it('describes every key the schema accepts', () => {
    expect(undocumentedFields()).toEqual([]);
  });

  it('is up to date with the schema (regenerate with `npm run docs:config`)', () => {
    const onDisk = readFileSync(resolve(import.meta.dirname, '../../docs/jobs-yaml.md'), 'utf8');
    expect(onDisk).toBe(renderConfigDocs());
  });
});
