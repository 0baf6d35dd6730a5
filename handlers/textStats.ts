/**
 * Example handler module for the `demo-quotes` job in jobs.yaml: three small stages that
 * work offline, showing the handler contract (version, run, ctx.upstream, signals).
 */
import { defineHandlers } from '../electron/engine/handler/types.ts';
import { SkipItem } from '../electron/engine/handler/signals.ts';

export default defineHandlers({
  /** Normalises the quote text; skips blank entries instead of storing an empty result. */
  clean: {
    version: 1,
    async run(item) {
      const text = String(item.data.text ?? '')
        .replace(/\s+/g, ' ')
        .trim();
      if (!text) throw new SkipItem('no text to analyse');
      return { text };
    },
  },
  /** Counts words and characters of the cleaned text. */
  measure: {
    version: 1,
    async run(_item, ctx) {
      const text = String(ctx.upstream.clean?.text ?? '');
      const words = text.split(' ').filter(Boolean);
      return {
        words: words.length,
        chars: text.length,
        longest: words.reduce((a, w) => (w.length > a.length ? w : a), ''),
      };
    },
  },
  /** Scores readability (short words and sentences read easier) and re-prioritises. */
  score: {
    version: 1,
    async run(item, ctx) {
      const m = ctx.upstream.measure as { words: number; chars: number };
      const avgWord = m.words ? m.chars / m.words : 0;
      const score = Math.max(0, Math.round(100 - avgWord * 8 - m.words / 2));
      ctx.log.debug({ item: item.key, score }, 'scored');
      return { score, author: item.data.author ?? null };
    },
  },
});
