// Builds what plain Node runs: the CLI/headless host and the Piscina worker files.
// Node 20 cannot load TypeScript, and worker threads need real JS files, so esbuild bundles
// our own sources (≈0.3 s) while every npm package stays external and loads from node_modules.
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workersDir = join(root, 'workers');
const workerEntries = existsSync(workersDir)
  ? readdirSync(workersDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(workersDir, f))
  : [];

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { 'cli/jobctl': join(root, 'electron/cli/jobctl.ts') },
  outdir: join(root, 'dist'),
});
if (workerEntries.length > 0) {
  await build({ ...common, entryPoints: workerEntries, outdir: join(root, 'dist/workers') });
}
