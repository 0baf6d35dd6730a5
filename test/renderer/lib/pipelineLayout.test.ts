import { describe, expect, it } from 'vitest';
import type { PipelinesResult } from '../../../electron/engine/api/types.ts';
import { layoutPipelines, NODE_W } from '../../../renderer/src/lib/pipelineLayout.ts';

const job = (id: string, pipeline: string | null = null) => {
  const [name, step] = pipeline ? pipeline.split('/') : [null, null];
  return { id, title: id, emoji: null, pipeline, name: name ?? null, step: step ?? null };
};
const edge = (from: string, to: string, items: number) => ({
  from,
  to,
  stage: 'score',
  status: 'done',
  items,
  configured: true,
});

describe('the pipelines layout', () => {
  it('groups jobs by pipeline name and places each step right of the jobs it reads from', () => {
    const p: PipelinesResult = {
      jobs: [
        job('fetch', 'news/fetch'),
        job('score', 'news/score'),
        job('publish', 'news/publish'),
      ],
      edges: [edge('score', 'publish', 3), edge('fetch', 'score', 10)],
      groups: [{ name: 'news', jobs: ['fetch', 'score', 'publish'] }],
    };
    const [g] = layoutPipelines(p);
    expect(g!.name).toBe('news');
    const x = Object.fromEntries(g!.nodes.map((n) => [n.id, n.x]));
    expect(x.fetch! < x.score! && x.score! < x.publish!).toBe(true);
    const e = g!.edges.find((e) => e.to === 'publish')!;
    expect(e.items).toBe(3);
    expect(e.x1).toBe(x.score! + NODE_W);
    expect(e.x2).toBe(x.publish);
    expect(g!.nodes.every((n) => !n.foreign)).toBe(true);
  });

  it('puts chains without a label in their own graph and marks outside jobs as foreign', () => {
    const p: PipelinesResult = {
      jobs: [job('a'), job('b'), job('c', 'digest/weekly'), job('d')],
      edges: [edge('a', 'b', 1), edge('d', 'c', 2)],
      groups: [{ name: 'digest', jobs: ['c'] }],
    };
    const graphs = layoutPipelines(p);
    expect(graphs.map((g) => g.name)).toEqual(['digest', null]);
    expect(graphs[0]!.nodes.find((n) => n.id === 'd')!.foreign).toBe(true);
    expect(graphs[1]!.nodes.map((n) => n.id)).toEqual(['a', 'b']);
  });

  it('survives a cycle in a misconfigured chain', () => {
    const p: PipelinesResult = {
      jobs: [job('a'), job('b')],
      edges: [edge('a', 'b', 1), edge('b', 'a', 1)],
      groups: [],
    };
    expect(layoutPipelines(p)[0]!.nodes).toHaveLength(2);
  });
});
