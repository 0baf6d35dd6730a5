import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Overview } from '../../../electron/engine/api/types.ts';
import type { ShellToast } from '../../../renderer/src/lib/api/transport.ts';
import App from '../../../renderer/src/App.svelte';
import { fakeBackend } from '../fakeBackend.ts';
import { job } from '../fixtures.ts';

const overview = (error: Overview['config']['error']): Overview => ({
  host: { state: 'running', pid: 7, heartbeatAt: Date.now() },
  config: { file: '/srv/jobs.yaml', error, retired: null },
  network: null,
  jobs: [job()],
  generatedAt: Date.now(),
});

describe('the app shell', () => {
  it('shows the config error banner on every view and clears it after a good reload', async () => {
    let error: Overview['config']['error'] = {
      message: '/srv/jobs.yaml:3:5 jobs[0].stages: a job needs at least one stage',
      at: Date.now(),
    };
    const { backend } = fakeBackend({
      overview: () => overview(error),
      throughput: () => ({ since: 0, bucketMs: 60_000, series: {} }),
    });
    render(App, { props: { backend } });
    const banner = await screen.findByTestId('config-error');
    expect(banner.textContent).toContain('/srv/jobs.yaml:3:5 jobs[0].stages');
    error = null;
    backend.events.dispatch({ type: 'config', ok: true, message: 'reloaded' });
    await waitFor(() => expect(screen.queryByTestId('config-error')).toBeNull(), {
      timeout: 3000,
    });
  });

  it('shows the desktop shell’s drop report as a toast', async () => {
    const { backend } = fakeBackend({
      overview: () => overview(null),
      throughput: () => ({ since: 0, bucketMs: 60_000, series: {} }),
    });
    let send: ((t: ShellToast) => void) | undefined;
    backend.onShellToast = (l) => {
      send = l;
      return () => (send = undefined);
    };
    const { unmount } = render(App, { props: { backend } });
    await screen.findByTestId('host-state');
    send!({ level: 'info', title: 'Added 1 URL', lines: ['1 → news'] });
    const toast = (await screen.findByText('Added 1 URL')).closest('.toast')!;
    expect(toast.textContent).toContain('1 → news');
    unmount();
    expect(send).toBeUndefined();
  });
});
