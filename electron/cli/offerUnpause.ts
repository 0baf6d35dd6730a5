import { createInterface } from 'node:readline/promises';
import type { Client, GlobalOptions } from './context.ts';

/**
 * Work queued behind a pause must never look like progress: after a retry or reprocess of a
 * paused job, ask on a terminal whether to resume it; otherwise say plainly that it stays
 * paused and how to resume. Returns the line to print (empty when resumed).
 */
export async function offerUnpause(
  api: Client,
  jobId: string,
  paused: boolean,
  g: GlobalOptions,
): Promise<string> {
  if (!paused) return '';
  if (process.stdin.isTTY && process.stdout.isTTY && !g.json) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const answer = await rl.question(
        `${jobId} is paused, so none of this will run. Resume it now? [y/N] `,
      );
      if (/^y(es)?$/i.test(answer.trim())) {
        await api.resume({ jobId });
        return `resumed ${jobId}`;
      }
    } finally {
      rl.close();
    }
  }
  return `note: ${jobId} is paused, so nothing will run until \`jobctl unpause ${jobId}\` (or pass --unpause)`;
}
