import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Overview as OverviewData } from '../../../electron/engine/api/types.ts';
import { BACKEND_KEY } from '../../../renderer/src/lib/api/backend.ts';
import { Resource } from '../../../renderer/src/lib/stores/Resource.svelte.ts';
import { Throughput } from '../../../renderer/src/lib/stores/Throughput.svelte.ts';
import Overview from '../../../renderer/src/views/Overview.svelte';
import { fakeBackend } from '../fakeBackend.ts';
import { job } from '../fixtures.ts';

const host = { state: 'running' as const, pid: 1, heartbeatAt: 0 };

describe('the overview over the shared store', () => {
  it('makes one overview request at start-up when the runner indicator already asked', async () => {
    const { backend, calls } = fakeBackend({
      overview: () => ({
        host,
        config: { file: 'jobs.yaml', error: null, retired: null },
        jobs: [job()],
        generatedAt: 0,
      }),
    });
    // What App does: one store for the header and the page, fetched once at start.
    const shared = new Resource(
      () => backend.api.overview({}) as Promise<OverviewData>,
      backend.events,
      {
        on: ['host', 'config'],
        minIntervalMs: 1000,
      },
    );
    void shared.refresh();
    render(Overview, {
      props: { throughput: new Throughput(backend.events), overview: shared },
      context: new Map([[BACKEND_KEY, backend]]),
    });
    await waitFor(() => expect(screen.getAllByText(/done/).length).toBeGreaterThan(0));
    expect(shared.data?.host.state).toBe('running');
    expect(calls.filter((c) => c.method === 'overview')).toHaveLength(1);
  });

  it('keeps the shared store live with progress events while the page is shown', async () => {
    let n = 0;
    const { backend, calls } = fakeBackend({
      overview: () => ({
        host,
        config: { file: 'jobs.yaml', error: null, retired: null },
        jobs: [job()],
        generatedAt: ++n,
      }),
    });
    const shared = new Resource(
      () => backend.api.overview({}) as Promise<OverviewData>,
      backend.events,
      {
        on: ['host', 'config'],
        minIntervalMs: 50,
      },
    );
    render(Overview, {
      props: { throughput: new Throughput(backend.events), overview: shared },
      context: new Map([[BACKEND_KEY, backend]]),
    });
    await waitFor(() => expect(shared.data?.generatedAt).toBe(1));
    backend.events.dispatch({ type: 'progress', jobId: 'news', stages: { done: 1 } });
    await waitFor(() => expect(shared.data?.generatedAt).toBe(2));
    expect(calls.filter((c) => c.method === 'overview')).toHaveLength(2);
  });
});
