/**
 * `npm run bench`: runs every bench/*.bench.ts (each exports `run()` returning figures),
 * prints them and writes bench/results.json. Numbers are reported, never asserted.
 * Filter with BENCH=name (e.g. BENCH=engine).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const only = process.env.BENCH;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only || f.startsWith(only))
  .sort();
// A filtered run (BENCH=engine) updates its own entry and keeps the others' last figures.
const file = join(dir, 'results.json');
const previous = existsSync(file)
  ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
  : {};
const results: Record<string, unknown> = {
  ...previous,
  machine: { node: process.version, cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
};
for (const f of files) {
  const name = f.replace(/\.bench\.ts$/, '');
  process.stdout.write(`\n## ${name}\n`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as {
    run: () => Promise<Record<string, unknown>>;
  };
  const t0 = performance.now();
  try {
    const r = await mod.run();
    results[name] = { ...r, measured_at: new Date().toISOString() };
    for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(40)} ${String(v)}\n`);
  } catch (err) {
    results[name] = { error: String(err) };
    process.stdout.write(`FAILED: ${String(err)}\n`);
    process.exitCode = 1;
  }
  process.stdout.write(`(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
