/** Access to the scripted handler's deferred "holds" (shared through globalThis). */
type Hold = { promise: Promise<void>; release: () => void; started: boolean };
const g = globalThis as unknown as {
  __holds?: Map<string, Hold>;
  __runs?: { key: string; stage: string; attempt: number }[];
};

export function hold(id: string): Hold {
  g.__holds ??= new Map();
  let h = g.__holds.get(id);
  if (!h) {
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    h = { promise, release, started: false };
    g.__holds.set(id, h);
  }
  return h;
}

export function releaseAll(): void {
  for (const h of g.__holds?.values() ?? []) h.release();
}

export function resetScripted(): void {
  releaseAll();
  g.__holds = new Map();
  g.__runs = [];
}

export function recordRun(run: { key: string; stage: string; attempt: number }): void {
  (g.__runs ??= []).push(run);
}

export function runs(): { key: string; stage: string; attempt: number }[] {
  return g.__runs ?? [];
}
