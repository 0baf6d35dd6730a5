import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { BACKEND_KEY } from '../../../renderer/src/lib/api/backend.ts';
import { EventHub } from '../../../renderer/src/lib/api/EventHub.svelte.ts';
import { Throughput } from '../../../renderer/src/lib/stores/Throughput.svelte.ts';
import Overview from '../../../renderer/src/views/Overview.svelte';
import { fakeBackend } from '../fakeBackend.ts';
import { job } from '../fixtures.ts';

const host = { state: 'running' as const, pid: 1, heartbeatAt: 0 };

describe('the overview', () => {
  it('says what to do when there are no jobs', async () => {
    const { backend } = fakeBackend({ overview: () => ({ host, jobs: [], generatedAt: 0 }) });
    render(Overview, {
      props: { throughput: new Throughput(new EventHub(null)) },
      context: new Map([[BACKEND_KEY, backend]]),
    });
    await waitFor(() => expect(screen.getByText('No jobs yet')).toBeTruthy());
    expect(screen.getByRole('status').textContent).toContain('jobs.yaml');
  });

  it('says what happened when the host cannot answer', async () => {
    const { backend } = fakeBackend({
      overview: () => {
        throw new Error('cannot reach the host — is it still running?');
      },
    });
    render(Overview, {
      props: { throughput: new Throughput(new EventHub(null)) },
      context: new Map([[BACKEND_KEY, backend]]),
    });
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain('cannot reach the host'),
    );
  });

  it('lists every job and refetches when a progress event arrives', async () => {
    let done = 1;
    const { backend, calls } = fakeBackend({
      overview: () => ({
        host,
        jobs: [
          job({ stages: [{ ...job().stages[0]!, counts: { ...job().stages[0]!.counts, done } }] }),
        ],
        generatedAt: 0,
      }),
    });
    render(Overview, {
      props: { throughput: new Throughput(backend.events) },
      context: new Map([[BACKEND_KEY, backend]]),
    });
    await waitFor(() => expect(screen.getByText('done 1')).toBeTruthy());
    done = 5;
    backend.events.dispatch({ type: 'progress', jobId: 'news', stages: { done: 4 } });
    await waitFor(() => expect(screen.getByText('done 5')).toBeTruthy(), { timeout: 3000 });
    expect(calls.filter((c) => c.method === 'overview')).toHaveLength(2);
  });
});
