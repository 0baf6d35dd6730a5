/**
 * Example handler module for the `notes` and `notes-digest` jobs in jobs.yaml: reads Markdown
 * notes found in a folder, measures them in two parallel stages (fan-out) and joins the two
 * in a summary (fan-in). A second job chains on the summaries of long notes. Works offline.
 */
import { readFile } from 'node:fs/promises';
import { SkipItem } from '../electron/engine/handler/signals.ts';
import { defineHandlers } from '../electron/engine/handler/types.ts';

const URL_RE = /https?:\/\/[^\s)>\]]+/g;

export default defineHandlers({
  /** Reads the file the directory strategy found. An empty note is skipped, never "done". */
  read: {
    version: 1,
    async run(item, ctx) {
      const text = await readFile(String(item.data.path), { encoding: 'utf8', signal: ctx.signal });
      if (text.trim() === '') throw new SkipItem('empty note: nothing to analyse');
      const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? String(item.data.name);
      return { title, text, chars: text.length };
    },
  },
  /** Word statistics of the note's body. */
  words: {
    version: 1,
    async run(_item, ctx) {
      const text = String(ctx.upstream.read?.text ?? '').replace(URL_RE, ' ');
      const words = text.toLowerCase().match(/[a-z][a-z'-]+/g) ?? [];
      const counts = new Map<string, number>();
      for (const w of words) if (w.length > 4) counts.set(w, (counts.get(w) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
      return { words: words.length, top: top.map(([w]) => w) };
    },
  },
  /** The links a note points to. */
  links: {
    version: 1,
    allowEmpty: false,
    async run(_item, ctx) {
      const urls = String(ctx.upstream.read?.text ?? '').match(URL_RE) ?? [];
      return { links: [...new Set(urls)], count: urls.length };
    },
  },
  /** Fan-in: waits for both `words` and `links`, then scores the note. */
  summary: {
    version: 1,
    async run(_item, ctx) {
      const read = ctx.upstream.read as { title: string };
      const words = ctx.upstream.words as { words: number; top: string[] };
      const links = ctx.upstream.links as { count: number };
      // Longer notes with sources score higher: a crude "worth a second look" signal.
      const score = Math.round(words.words / 10 + links.count * 3);
      return {
        title: read.title,
        words: words.words,
        links: links.count,
        keywords: words.top,
        score,
      };
    },
  },
  /** `notes-digest`: one line per long note, built from the upstream job's summary. */
  digest: {
    version: 1,
    async run(item) {
      const up = item.data.upstream as {
        result: { title: string; keywords: string[]; score: number };
      };
      return {
        line: `${up.result.title} — ${up.result.keywords.join(', ')} (score ${up.result.score})`,
      };
    },
  },
});
