import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from '../../electron/engine/config/ConfigError.ts';
import { loadConfigFile } from '../../electron/engine/config/loadConfig.ts';
import { loadAndPrepare } from '../../electron/engine/runner/loadAndPrepare.ts';

/**
 * Every file in test/fixtures/configs/broken names the message it must produce on its first
 * line: `# expect: …` (a validation problem, with its position when given) or
 * `# expect-load: …` (the file is valid YAML and schema, but its handlers do not resolve).
 */
const dir = resolve(import.meta.dirname, '../fixtures/configs/broken');
const cases = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('the broken-config corpus', () => {
  it('has a case for each kind of mistake', () => {
    expect(cases.length).toBeGreaterThanOrEqual(14);
  });

  for (const file of cases) {
    const path = join(dir, file);
    const first = readFileSync(path, 'utf8').split('\n')[0] as string;
    const [, kind, expected] = /^# (expect|expect-load): (.*)$/.exec(first) ?? [];
    it(`${file} gets a precise message: ${expected}`, async () => {
      expect(expected, 'first line must be an expectation').toBeTruthy();
      if (kind === 'expect') {
        let err: unknown;
        try {
          loadConfigFile(path);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        const messages = (err as ConfigError).problems.map(formatProblem);
        expect(
          messages.some((m) => m.includes(path) && m.includes(expected as string)),
          messages.join('\n'),
        ).toBe(true);
      } else {
        loadConfigFile(path);
        await expect(loadAndPrepare(path)).rejects.toThrow(expected as string);
      }
    });
  }
});
