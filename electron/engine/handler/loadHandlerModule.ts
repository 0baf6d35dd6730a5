import { createJiti } from 'jiti';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DiscoveryStrategy } from '../discovery/types.ts';
import type { HandlerModule, StageHandler } from './types.ts';

export interface LoadedHandlerModule {
  file: string;
  stages: HandlerModule;
  /** Extra discovery strategies the module contributes (`export const strategies = [...]`). */
  strategies: DiscoveryStrategy[];
  /** Optional hook run after each batch of completions (see content-stage docs). */
  validate?: (ctx: unknown) => unknown;
}

/**
 * Loads a user handler module written in TypeScript or JavaScript. Node 20 cannot strip types,
 * so TypeScript goes through jiti (a maintained, pure-JS transpiling loader that also works
 * inside a packaged Electron app, where native esbuild binaries would need unpacking).
 *
 * Accepted shapes: `export default { stageName: { version, run } }`, or named exports whose
 * values look like stage handlers, plus optional `strategies` and `validate` exports.
 */
export async function loadHandlerModule(
  file: string,
  baseDir: string,
): Promise<LoadedHandlerModule> {
  const abs = resolve(baseDir, file);
  if (!existsSync(abs)) throw new Error(`handler module not found: ${abs}`);
  const jiti = createJiti(pathToFileURL(baseDir + '/').href, {
    // No module cache: a reload must see an edited handler. The transpile cache on disk stays
    // on: it keys by content, so edits still apply and restarts skip the ~0.5 s transform.
    moduleCache: false,
    interopDefault: false,
  });
  const mod = (await jiti.import(abs)) as Record<string, unknown>;
  const stages: HandlerModule = {};
  const collect = (obj: unknown) => {
    if (!obj || typeof obj !== 'object') return;
    for (const [name, value] of Object.entries(obj))
      if (isStageHandler(value)) stages[name] = value;
  };
  collect(mod.default);
  collect(mod);
  const strategies = Array.isArray(mod.strategies) ? (mod.strategies as DiscoveryStrategy[]) : [];
  const validate =
    typeof mod.validate === 'function'
      ? (mod.validate as LoadedHandlerModule['validate'])
      : undefined;
  return { file: abs, stages, strategies, ...(validate ? { validate } : {}) };
}

export function isStageHandler(v: unknown): v is StageHandler {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as StageHandler).run === 'function' &&
    (typeof (v as StageHandler).version === 'string' ||
      typeof (v as StageHandler).version === 'number')
  );
}
