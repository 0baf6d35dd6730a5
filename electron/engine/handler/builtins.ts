import { CONTENT_BUILTINS } from '../builtins/index.ts';
import type { StageHandler } from './types.ts';

/**
 * Built-in stage handlers, usable from YAML as `uses: builtin/NAME`. Each takes its stage's
 * `params` from the context. The content handlers (fetch, extract, llm, audit) register here.
 */
const registry = new Map<string, StageHandler>();

export function registerBuiltin(name: string, handler: StageHandler): void {
  registry.set(`builtin/${name}`, handler);
}

export function builtinHandler(uses: string): StageHandler | undefined {
  return registry.get(uses);
}

export function builtinNames(): string[] {
  return [...registry.keys()];
}

// `builtin/noop` echoes its item: handy for wiring a pipeline before its handlers exist.
registerBuiltin('noop', {
  version: 1,
  async run(item) {
    return { key: item.key, echoed: true };
  },
});

// fetch, extract, llm, audit (electron/engine/builtins).
for (const [name, handler] of Object.entries(CONTENT_BUILTINS)) registerBuiltin(name, handler);
