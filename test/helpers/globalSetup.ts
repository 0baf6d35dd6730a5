import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Child-process tests run the built host (dist/); build it once before any test. */
export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/build.mjs')], {
    stdio: 'inherit',
  });
}
