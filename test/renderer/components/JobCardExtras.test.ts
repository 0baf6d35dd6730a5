import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { BACKEND_KEY } from '../../../renderer/src/lib/api/backend.ts';
import JobCard from '../../../renderer/src/components/JobCard.svelte';
import { fakeBackend } from '../fakeBackend.ts';
import { job } from '../fixtures.ts';

const HOUR = 3_600_000;
const renderCard = (over: Parameters<typeof job>[0]) =>
  render(JobCard, {
    props: { job: job(over), series: [0, 1, 4, 2] },
    context: new Map([[BACKEND_KEY, fakeBackend({}).backend]]),
  });

describe('a job card on the overview', () => {
  it("shows today's cost against the job's daily limit", () => {
    renderCard({ costToday: { spentUsd: 0.75, limitUsd: 1.5, globalLimitUsd: null } });
    expect(screen.getByTestId('cost-today').textContent).toContain('Today $0.75 of $1.50');
    const meter = screen.getByRole('meter');
    expect(meter.getAttribute('aria-valuenow')).toBe('0.75');
    expect((meter.firstElementChild as HTMLElement).style.width).toBe('50%');
    expect(meter.firstElementChild!.classList.contains('over')).toBe(false);
  });

  it('marks the meter when the limit is reached', () => {
    renderCard({ costToday: { spentUsd: 2, limitUsd: 1.5, globalLimitUsd: null } });
    expect(screen.getByRole('meter').firstElementChild!.classList.contains('over')).toBe(true);
  });

  it('leaves the cost line out for a job that neither spends nor has a limit', () => {
    renderCard({ costToday: { spentUsd: 0, limitUsd: null, globalLimitUsd: null } });
    expect(screen.queryByTestId('cost-today')).toBeNull();
  });

  it('shows the last and the next discovery round, or why none is coming', () => {
    const now = Date.now();
    const discovery = {
      strategy: 'rss',
      lastRoundAt: now - 2 * HOUR,
      nextRoundAt: now + HOUR,
      lastError: null,
      backoffUntil: null,
      skippedReason: null,
      exhausted: false,
    };
    const { unmount } = renderCard({ discovery });
    const text = screen.getByTestId('discovery-times').textContent!;
    expect(text).toContain('last discovery 2 h 0 m ago');
    expect(text).toMatch(/ago · next in (59 m|1 h 0 m)/);
    unmount();
    renderCard({ discovery: { ...discovery, nextRoundAt: null, exhausted: true } });
    expect(screen.getByTestId('discovery-times').textContent).toContain('archive finished');
  });

  it('says a job without discovery gets its items another way', () => {
    renderCard({ discovery: null, items: 1 });
    expect(screen.getByTestId('discovery-times').textContent).toContain('no discovery');
    expect(screen.getByText('1 item')).toBeTruthy();
  });

  it('says when discovery is backing off after errors', () => {
    renderCard({
      discovery: {
        strategy: 'rss',
        lastRoundAt: Date.now() - 60_000,
        nextRoundAt: null,
        lastError: 'HTTP 429',
        backoffUntil: Date.now() + 10 * 60_000,
        skippedReason: null,
        exhausted: false,
      },
    });
    const text = screen.getByTestId('discovery-times').textContent!;
    expect(text).toMatch(/backing off until in (9|10) m/);
    expect(text).toContain('last round failed');
  });

  it('shows the pipeline label and the throughput sparkline', () => {
    renderCard({ pipeline: 'news/score' });
    expect(screen.getByTestId('pipeline-label').textContent).toBe('news/score');
    expect(
      screen.getByRole('img', { name: /News completions: 7 in the last 30 minutes/ }),
    ).toBeTruthy();
  });
});
