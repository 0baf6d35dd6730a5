import type { PipelineEdge, PipelinesResult } from '../../../electron/engine/api/types.ts';

export const NODE_W = 190;
export const NODE_H = 48;
const COL_GAP = 90;
const ROW_GAP = 22;
const PAD = 10;

export interface LaidOutGraph {
  /** A pipeline name, or null for chained jobs without a `pipeline:` label. */
  name: string | null;
  nodes: { id: string; x: number; y: number; step: string | null; foreign: boolean }[];
  edges: (PipelineEdge & { x1: number; y1: number; x2: number; y2: number })[];
  width: number;
  height: number;
}

/**
 * The Pipelines view's graphs across jobs: one per `pipeline:` name (its jobs, plus any job
 * chained to them from outside, marked `foreign`), then one for chained jobs that carry no
 * label. Columns are the longest chain from a source job (so a step sits right of every job
 * it reads from); rows follow config order. Cycles (a misconfiguration) do not loop forever.
 */
export function layoutPipelines(p: PipelinesResult): LaidOutGraph[] {
  const order = new Map(p.jobs.map((j, i) => [j.id, i]));
  const labelled = new Map(p.jobs.map((j) => [j.id, j]));
  const graphs: LaidOutGraph[] = [];
  const placed = new Set<string>();
  for (const g of p.groups) {
    const members = new Set(g.jobs);
    const edges = p.edges.filter((e) => members.has(e.from) || members.has(e.to));
    const ids = new Set([...g.jobs, ...edges.flatMap((e) => [e.from, e.to])]);
    g.jobs.forEach((id) => placed.add(id));
    graphs.push(build(g.name, ids, edges, members));
  }
  const rest = p.edges.filter((e) => !placed.has(e.from) && !placed.has(e.to));
  if (rest.length > 0) {
    const ids = new Set(rest.flatMap((e) => [e.from, e.to]));
    graphs.push(build(null, ids, rest, ids));
  }
  return graphs;

  function build(
    name: string | null,
    ids: Set<string>,
    edges: PipelineEdge[],
    members: Set<string>,
  ): LaidOutGraph {
    const depth = new Map<string, number>();
    const visit = (id: string, stack: Set<string>): number => {
      const known = depth.get(id);
      if (known !== undefined) return known;
      if (stack.has(id)) return 0;
      stack.add(id);
      const ups = edges.filter((e) => e.to === id && ids.has(e.from)).map((e) => e.from);
      const d = ups.length ? Math.max(...ups.map((u) => visit(u, stack) + 1)) : 0;
      stack.delete(id);
      depth.set(id, d);
      return d;
    };
    const sorted = [...ids].sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9));
    sorted.forEach((id) => visit(id, new Set()));
    const rows = new Map<number, number>();
    const pos = new Map<string, { x: number; y: number }>();
    const nodes = sorted.map((id) => {
      const col = depth.get(id) ?? 0;
      const row = rows.get(col) ?? 0;
      rows.set(col, row + 1);
      const at = { x: PAD + col * (NODE_W + COL_GAP), y: PAD + row * (NODE_H + ROW_GAP) };
      pos.set(id, at);
      return { id, ...at, step: labelled.get(id)?.step ?? null, foreign: !members.has(id) };
    });
    const laid = edges.map((e) => {
      const a = pos.get(e.from)!;
      const b = pos.get(e.to)!;
      return { ...e, x1: a.x + NODE_W, y1: a.y + NODE_H / 2, x2: b.x, y2: b.y + NODE_H / 2 };
    });
    const cols = Math.max(0, ...depth.values()) + 1;
    const maxRows = Math.max(1, ...rows.values());
    return {
      name,
      nodes,
      edges: laid,
      width: PAD * 2 + cols * NODE_W + (cols - 1) * COL_GAP,
      height: PAD * 2 + maxRows * NODE_H + (maxRows - 1) * ROW_GAP,
    };
  }
}
