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
          retired: null,
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

  it('says which retired jobs and stages still hold unfinished work, and that it is kept', () => {
    render(ConfigBanner, {
      props: {
        config: {
          file: '/home/me/jobs.yaml',
          error: null,
          retired: {
            at: Date.now() - 60_000,
            work: [
              { job: 'news', stage: null, unfinished: 12 },
              { job: 'papers', stage: 'score', unfinished: 3 },
            ],
          },
        },
      },
    });
    const banner = screen.getByTestId('config-retired');
    expect(banner.textContent).toContain('15 unfinished item stages belong to jobs or stages no');
    expect([...banner.querySelectorAll('li')].map((l) => l.textContent?.trim())).toEqual([
      'news: 12 unfinished (the whole job)',
      'papers/score: 3 unfinished',
    ]);
    expect(banner.textContent).toContain('They stay in the database, unprocessed');
  });
});
