import { stat, readFile } from 'node:fs/promises';
import type { Toast } from './channels.ts';
import { parseDrop, type DropPayload, type FileReader, type Refusal } from './dropPayload.ts';

/** What the add-URL route returned: which job took each URL, and what it refused. */
export interface AddUrlsResult {
  added: { url: string; jobId: string; duplicate?: boolean }[];
  refused: { url: string; reason: string }[];
}

export type AddUrls = (urls: string[]) => Promise<AddUrlsResult>;

export interface DropReport {
  added: AddUrlsResult['added'];
  refused: Refusal[];
  toast: Toast;
}

export const diskReader: FileReader = {
  size: async (path) => (await stat(path)).size,
  read: (path) => readFile(path),
};

/** A drop (or a clipboard paste) → URLs → the add-URL routes → one toast saying what went where. */
export async function handleDrop(
  payload: DropPayload,
  deps: { addUrls: AddUrls; reader?: FileReader },
): Promise<DropReport> {
  const parsed = await parseDrop(payload, deps.reader ?? diskReader);
  let added: AddUrlsResult['added'] = [];
  const refused = [...parsed.refused];
  if (parsed.urls.length > 0) {
    try {
      const res = await deps.addUrls(parsed.urls);
      added = res.added;
      refused.push(...res.refused.map((r) => ({ input: r.url, reason: r.reason })));
    } catch (err) {
      // The route itself failed (no host, no routes configured): every URL is refused with why.
      const reason = err instanceof Error ? err.message : String(err);
      refused.push(...parsed.urls.map((u) => ({ input: u, reason })));
    }
  }
  return { added, refused, toast: dropToast(added, refused) };
}

export function dropToast(added: AddUrlsResult['added'], refused: Refusal[]): Toast {
  const byJob = new Map<string, { n: number; known: number }>();
  for (const a of added) {
    const j = byJob.get(a.jobId) ?? { n: 0, known: 0 };
    j.n++;
    if (a.duplicate) j.known++;
    byJob.set(a.jobId, j);
  }
  const fresh = added.filter((a) => !a.duplicate).length;
  const lines = [
    ...[...byJob].map(
      ([job, { n, known }]) => `${n} → ${job}${known > 0 ? ` (${known} already there)` : ''}`,
    ),
    ...refused.map((r) => `refused ${shorten(r.input)}: ${r.reason}`),
  ];
  const title =
    added.length === 0
      ? refused.length === 0
        ? 'Nothing to add in what was dropped'
        : 'Nothing added'
      : fresh === 0
        ? `Already added (${added.length} URL${added.length === 1 ? '' : 's'})`
        : `Added ${fresh} URL${fresh === 1 ? '' : 's'}`;
  return {
    level: added.length === 0 ? 'warning' : refused.length > 0 ? 'warning' : 'info',
    title,
    lines,
  };
}

/** A toast line is read at a glance: a pasted essay or a data: URL is cut, not shown whole. */
function shorten(input: string, max = 100): string {
  return input.length > max ? `${input.slice(0, max - 1)}…` : input;
}
