import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ConfigBanner from '../../../renderer/src/components/ConfigBanner.svelte';

describe('the config error banner', () => {
  it('lists each problem with its file:line while the old config keeps running', () => {
    render(ConfigBanner, {
      props: {
        config: {
          file: '/home/me/jobs.yaml',
          error: {
            message:
              '/home/me/jobs.yaml:12:7 jobs[0].stages[0].concurency: unknown key (did you mean `concurrency`?)\n/home/me/jobs.yaml:20:3 jobs[1].id: required',
            at: Date.now() - 5000,
          },
        },
      },
    });
    const banner = screen.getByRole('alert');
    expect(banner.textContent).toContain(
      '/home/me/jobs.yaml has errors — the previous configuration keeps running.',
    );
    const lines = [...banner.querySelectorAll('li')].map((l) => l.textContent);
    expect(lines).toEqual([
      '/home/me/jobs.yaml:12:7 jobs[0].stages[0].concurency: unknown key (did you mean `concurrency`?)',
      '/home/me/jobs.yaml:20:3 jobs[1].id: required',
    ]);
  });

  it('shows nothing while the config is fine', () => {
    render(ConfigBanner, { props: { config: { file: 'jobs.yaml', error: null, retired: null } } });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
