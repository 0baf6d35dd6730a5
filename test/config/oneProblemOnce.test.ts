import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ConfigError, formatProblem } from '../../electron/engine/config/ConfigError.ts';
import { loadAndPrepare } from '../../electron/engine/runner/loadAndPrepare.ts';

it('reports a mistake in a built-in stage once, not again when handlers are resolved', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-once-'));
  try {
    const file = join(dir, 'jobs.yaml');
    writeFileSync(
      file,
      `jobs:
  - id: a
    stages:
      - { name: f, uses: builtin/fech }
      - { name: g, uses: builtin/fetch, params: { max_redirect: 3 } }
`,
    );
    const err = (await loadAndPrepare(file).catch((e: unknown) => e)) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /:4:\d+ jobs\[0\]\.stages\[0\]\.uses: unknown built-in `builtin\/fech`/,
      ),
      expect.stringMatching(/:5:\d+ jobs\[0\]\.stages\[1\]\.params\.max_redirect: unknown param/),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
