/**
 * The stage DAG of one job. Without `stage_deps` the stages form a chain in list order;
 * with it, each stage waits for exactly the stages it lists (a stage it does not mention is a
 * root), which allows fan-out and fan-in.
 */
export interface StageGraph {
  /** Stage names in list order. */
  order: string[];
  deps: Map<string, string[]>;
  /** Direct dependents: the stages to try promoting when a stage completes. */
  dependents: Map<string, string[]>;
  /** Every stage downstream of a stage (for skip propagation and reprocess). */
  downstream: Map<string, string[]>;
  /** Every stage upstream of a stage, transitively: the results its handler sees. */
  upstream: Map<string, string[]>;
}

export interface GraphProblem {
  /** The stage whose entry is wrong (for locating it in the file). */
  stage: string;
  message: string;
}

export function buildStageGraph(
  order: string[],
  stageDeps: Record<string, string[]> | undefined,
): { graph: StageGraph; problems: GraphProblem[] } {
  const problems: GraphProblem[] = [];
  const known = new Set(order);
  const deps = new Map<string, string[]>();
  order.forEach((s, i) => {
    if (stageDeps) deps.set(s, [...new Set(stageDeps[s] ?? [])]);
    else deps.set(s, i === 0 ? [] : [order[i - 1] as string]);
  });
  for (const [stage, list] of Object.entries(stageDeps ?? {})) {
    if (!known.has(stage)) {
      problems.push({
        stage,
        message: `stage_deps names \`${stage}\`, which is not a stage of this job (stages: ${order.join(', ')})`,
      });
      continue;
    }
    for (const d of list) {
      if (!known.has(d))
        problems.push({ stage, message: `\`${stage}\` depends on unknown stage \`${d}\`` });
      if (d === stage) problems.push({ stage, message: `\`${stage}\` depends on itself` });
    }
  }
  for (const [s, list] of deps)
    deps.set(
      s,
      list.filter((d) => known.has(d) && d !== s),
    );

  const cycle = findCycle(order, deps);
  if (cycle)
    problems.push({
      stage: cycle[0] as string,
      message: `stage_deps has a cycle: ${cycle.join(' → ')}`,
    });

  const dependents = new Map<string, string[]>(order.map((s) => [s, []]));
  for (const [s, list] of deps) for (const d of list) dependents.get(d)?.push(s);
  const downstream = new Map<string, string[]>();
  if (!cycle) {
    for (const s of order) {
      const seen = new Set<string>();
      const stack = [...(dependents.get(s) ?? [])];
      while (stack.length) {
        const n = stack.pop() as string;
        if (seen.has(n)) continue;
        seen.add(n);
        stack.push(...(dependents.get(n) ?? []));
      }
      downstream.set(
        s,
        order.filter((o) => seen.has(o)),
      );
    }
  }
  const upstream = new Map<string, string[]>(
    order.map((s) => [s, order.filter((o) => downstream.get(o)?.includes(s))]),
  );
  return { graph: { order, deps, dependents, downstream, upstream }, problems };
}

function findCycle(order: string[], deps: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (s: string): string[] | undefined => {
    if (state.get(s) === 'done') return undefined;
    if (state.get(s) === 'visiting') return [...path.slice(path.indexOf(s)), s];
    state.set(s, 'visiting');
    path.push(s);
    for (const d of deps.get(s) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    path.pop();
    state.set(s, 'done');
    return undefined;
  };
  for (const s of order) {
    const c = visit(s);
    if (c) return c.reverse();
  }
  return undefined;
}
