import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import HostBadge from '../../../renderer/src/components/HostBadge.svelte';

describe('the runner indicator', () => {
  it('shows a live runner with the age of its last heartbeat', () => {
    render(HostBadge, {
      props: {
        host: { state: 'running', pid: 42, heartbeatAt: Date.now() - 4000 },
        connection: 'open',
      },
    });
    const badge = screen.getByTestId('host-state');
    expect(badge.className).toContain('h-running');
    expect(badge.textContent).toContain('runner alive (pid 42)');
    expect(screen.getByTestId('host-heartbeat').textContent).toContain('heartbeat 4.0 s ago');
  });

  it('says a runner that missed its heartbeats is not responding, and when the stream is down', () => {
    render(HostBadge, {
      props: {
        host: { state: 'stale', pid: 42, heartbeatAt: Date.now() - 90_000 },
        connection: 'connecting',
      },
    });
    const badge = screen.getByTestId('host-state');
    expect(badge.className).toContain('h-stale');
    expect(badge.textContent).toContain('runner not responding');
    expect(badge.textContent).toContain('heartbeat 1 m 30 s ago');
    expect(badge.textContent).toContain('live updates connecting');
  });

  it('shows a runner that never started without a heartbeat', () => {
    render(HostBadge, {
      props: { host: { state: 'never', pid: null, heartbeatAt: null }, connection: 'open' },
    });
    expect(screen.getByTestId('host-state').textContent).toContain('runner never started');
    expect(screen.queryByTestId('host-heartbeat')).toBeNull();
  });
});
