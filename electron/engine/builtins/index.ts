import type { StageHandler } from '../handler/types.ts';
import { auditHandler } from './audit.ts';
import { extractHandler } from './extract.ts';
import { fetchHandler } from './fetch.ts';
import { llmHandler } from './llm.ts';

/**
 * The content built-ins, by name (`uses: builtin/NAME`). handler/builtins.ts registers
 * them; this module does not import the registry, so there is no import cycle.
 */
export const CONTENT_BUILTINS: Record<string, StageHandler> = {
  fetch: fetchHandler,
  extract: extractHandler,
  llm: llmHandler,
  audit: auditHandler,
};
