import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import NetworkBanner from '../../../renderer/src/components/NetworkBanner.svelte';

describe('the network banner', () => {
  it('says the engine is offline, what waits and what it probes', () => {
    render(NetworkBanner, {
      props: {
        network: {
          state: 'down',
          since: Date.now() - 90_000,
          lastProbeAt: Date.now() - 5000,
          nextProbeAt: Date.now() + 25_000,
          failedHosts: ['example.org'],
          held: ['feeds/fetch', 'feeds/_discovery'],
          probe: ['one.one.one.one:443'],
        },
      },
    });
    const banner = screen.getByTestId('network-down');
    expect(banner.textContent).toContain('Offline since');
    expect(banner.textContent).toContain('nothing fails meanwhile');
    expect(banner.textContent).toContain('feeds/fetch, feeds/_discovery');
    expect(banner.textContent).toContain('Probing one.one.one.one:443');
  });

  it('shows nothing while the network is up or unknown', () => {
    const { container } = render(NetworkBanner, {
      props: {
        network: {
          state: 'up',
          since: null,
          lastProbeAt: null,
          nextProbeAt: null,
          failedHosts: [],
          held: [],
          probe: [],
        },
      },
    });
    expect(container.textContent?.trim()).toBe('');
    render(NetworkBanner, { props: { network: null } });
    expect(screen.queryByTestId('network-down')).toBeNull();
  });
});
