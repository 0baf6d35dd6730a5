import { z } from 'zod';
import { parseDuration } from './duration.ts';

/** A duration string in jobs.yaml (`30s`, `5m`, `1h30m`), parsed to milliseconds. */
export const Duration = z.string().transform((s, ctx) => {
  try {
    return parseDuration(s);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});
