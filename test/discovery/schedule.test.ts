import { describe, expect, it } from 'vitest';
import { firstRoundDelay, nextRoundDelay } from '../../electron/engine/discovery/schedule.ts';

const now = Date.parse('2024-05-01T10:00:30Z');

describe('discovery schedules', () => {
  it('adds up to 10% jitter to `every` by default', () => {
    expect(nextRoundDelay({ every: 3_600_000 }, 'monitor', now, () => 0)).toBe(3_600_000);
    expect(nextRoundDelay({ every: 3_600_000 }, 'monitor', now, () => 0.999)).toBe(
      3_600_000 + 299_700,
    );
  });

  it('caps the default jitter at five minutes and honours an explicit one', () => {
    expect(nextRoundDelay({ every: 86_400_000 }, 'monitor', now, () => 1)).toBe(
      86_400_000 + 300_000,
    );
    expect(nextRoundDelay({ every: 60_000, jitter: 0 }, 'monitor', now, () => 1)).toBe(60_000);
  });

  it('waits for the next cron time', () => {
    expect(nextRoundDelay({ cron: '*/5 * * * *', jitter: 0 }, 'monitor', now)).toBe(270_000);
  });

  it('has no schedule for a monitor job without every or cron, and a slow default for backfill', () => {
    expect(nextRoundDelay({}, 'monitor', now)).toBeUndefined();
    expect(nextRoundDelay({ jitter: 0 }, 'backfill', now)).toBe(60_000);
  });

  it('does not re-run a recent round at restart, but runs an overdue one now', () => {
    expect(firstRoundDelay({ every: 60_000 }, 'monitor', now - 20_000, now, () => 0)).toBe(40_000);
    expect(firstRoundDelay({ every: 60_000 }, 'monitor', now - 90_000, now, () => 0)).toBe(0);
    expect(firstRoundDelay({ every: 60_000 }, 'monitor', null, now, () => 0)).toBe(0);
  });

  it('runs a missed cron time at restart', () => {
    expect(firstRoundDelay({ cron: '0 * * * *' }, 'monitor', now - 3_600_000, now, () => 0)).toBe(
      0,
    );
    expect(firstRoundDelay({ cron: '0 * * * *' }, 'monitor', now - 10_000, now, () => 0)).toBe(
      3_570_000,
    );
  });

  it('spreads the first round of many jobs over an explicit jitter', () => {
    expect(
      firstRoundDelay({ every: 60_000, jitter: 10_000 }, 'monitor', null, now, () => 0.5),
    ).toBe(5000);
  });
});
