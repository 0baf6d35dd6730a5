import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { PipelinesResult } from '../../../electron/engine/api/types.ts';
import { BACKEND_KEY } from '../../../renderer/src/lib/api/backend.ts';
import Pipelines from '../../../renderer/src/views/Pipelines.svelte';
import { fakeBackend } from '../fakeBackend.ts';
import { job } from '../fixtures.ts';

const host = { state: 'running' as const, pid: 1, heartbeatAt: 0 };
const config = { file: 'jobs.yaml', error: null, retired: null };

function show(p: PipelinesResult) {
  const { backend } = fakeBackend({
    overview: () => ({
      host,
      config,
      generatedAt: 0,
      jobs: [
        job({ id: 'scored', title: 'Scored', pipeline: 'news/score', items: 120 }),
        job({ id: 'published', title: 'Published', pipeline: 'news/publish', items: 40 }),
      ],
    }),
    pipelines: () => p,
  });
  render(Pipelines, { context: new Map([[BACKEND_KEY, backend]]) });
}

describe('the pipelines view', () => {
  it('draws chained jobs across jobs, grouped by pipeline name, with counts on the edges', async () => {
    show({
      jobs: [
        {
          id: 'scored',
          title: 'Scored',
          emoji: null,
          pipeline: 'news/score',
          name: 'news',
          step: 'score',
        },
        {
          id: 'published',
          title: 'Published',
          emoji: null,
          pipeline: 'news/publish',
          name: 'news',
          step: 'publish',
        },
      ],
      edges: [
        {
          from: 'scored',
          to: 'published',
          stage: 'score',
          status: 'done',
          items: 40,
          configured: true,
        },
      ],
      groups: [{ name: 'news', jobs: ['scored', 'published'] }],
    });
    const group = await screen.findByTestId('pipeline-group');
    expect(group.dataset.pipeline).toBe('news');
    expect(group.textContent).toContain('Pipeline “news”');
    const edge = group.querySelector('[data-from="scored"][data-to="published"]')!;
    expect(edge.getAttribute('data-items')).toBe('40');
    expect(edge.querySelector('text')!.textContent).toBe('40');
    expect(screen.getByTestId('pipeline-edge').textContent).toContain(
      'scored → published: 40 items',
    );
    expect(group.querySelector('[data-job-node="published"]')!.textContent).toContain(
      'Published · publish',
    );
    expect(group.querySelector('[data-job-node="scored"]')!.textContent).toContain('120 items');
  });

  it('says how to chain jobs when none are', async () => {
    show({ jobs: [], edges: [], groups: [] });
    expect(await screen.findByText('No chained jobs yet')).toBeTruthy();
  });
});
