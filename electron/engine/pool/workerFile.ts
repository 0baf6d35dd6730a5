import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds a compiled worker (`dist/workers/NAME.js`). Node 20 cannot load TypeScript in a
 * worker thread, so scripts/build.mjs bundles every `workers/*.ts` (vitest's globalSetup runs
 * it before tests). The engine runs from source (tests, tsx), from dist/cli/jobctl.js or from
 * the Electron bundle, so we look upwards from this file for the nearest `dist/workers`.
 * TRIBUTARY_WORKERS_DIR overrides it (packaged apps put workers beside the asar).
 */
export function workerFile(name: string): string {
  const file = `${name}.js`;
  const override = process.env.TRIBUTARY_WORKERS_DIR;
  if (override) return resolve(override, file);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const candidate of [join(dir, 'workers', file), join(dir, 'dist', 'workers', file)]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    `worker ${file} not found near ${fileURLToPath(import.meta.url)}: run \`npm run build\` (it bundles workers/*.ts into dist/workers)`,
  );
}
