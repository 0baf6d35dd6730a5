import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { BACKEND_KEY } from '../../../renderer/src/lib/api/backend.ts';
import JobCard from '../../../renderer/src/components/JobCard.svelte';
import ConfirmDialog from '../../../renderer/src/components/ConfirmDialog.svelte';
import { fakeBackend } from '../fakeBackend.ts';
import { job } from '../fixtures.ts';

describe('a job card', () => {
  it('shows state, per-stage counts and p50, and the pause reason', () => {
    const { backend } = fakeBackend({});
    render(JobCard, {
      props: { job: job({ paused: true, pauseReason: 'rate limited' }), series: [1, 2, 3] },
      context: new Map([[BACKEND_KEY, backend]]),
    });
    expect(screen.getByTestId('job-state').textContent).toBe('paused');
    expect(screen.getByTestId('pause-reason').textContent).toContain('rate limited');
    expect(screen.getByText('done 7')).toBeTruthy();
    expect(screen.getByText('failed 2')).toBeTruthy();
    expect(screen.getByText('p50 1.2 s')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
  });

  it('pauses with the typed reason', async () => {
    const { backend, calls } = fakeBackend({ pause: () => ({ paused: true }) });
    let changed = 0;
    render(JobCard, {
      props: { job: job(), series: [], onchanged: () => changed++ },
      context: new Map([[BACKEND_KEY, backend]]),
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Pause…' }));
    await fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'maintenance' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Pause job' }));
    await waitFor(() => expect(changed).toBe(1));
    expect(calls).toEqual([{ method: 'pause', input: { jobId: 'news', reason: 'maintenance' } }]);
  });

  it('asks before retrying failed items and does nothing when cancelled', async () => {
    const { backend, calls } = fakeBackend({ retry: () => ({ count: 2, paused: false }) });
    render(ConfirmDialog);
    render(JobCard, {
      props: { job: job(), series: [] },
      context: new Map([[BACKEND_KEY, backend]]),
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Retry failed (2)' }));
    expect(screen.getByRole('alertdialog').textContent).toContain('Retry 2 failed items?');
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls).toEqual([]);
    await fireEvent.click(screen.getByRole('button', { name: 'Retry failed (2)' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(calls).toEqual([{ method: 'retry', input: { jobId: 'news' } }]));
  });
});
