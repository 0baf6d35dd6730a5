import { describe, expect, it } from 'vitest';
import { resumeTime } from '../../electron/engine/doctor/resumeTime.ts';

// Monday 30 Nov 2026, 10:00 in New York.
const NOW = Date.parse('2026-11-30T15:00:00Z');
const at = (text: string) => {
  const t = resumeTime(text, NOW);
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('resume times stated in messages', () => {
  it.each([
    ['We are in maintenance until 23:45 ET', '2026-12-01T04:45:00.000Z'],
    ['Your usage limit will reset in 3 hours', '2026-11-30T18:00:00.000Z'],
    ['Premieres in 45 minutes', '2026-11-30T15:45:00.000Z'],
    ['Data is published after market close', '2026-11-30T21:00:00.000Z'],
    ['Market is closed', '2026-12-01T14:30:00.000Z'],
    ['Exchange closed for the weekend; opens Monday at 9:30am EST', '2026-12-01T14:30:00.000Z'],
    ['back online by 6 am PST', '2026-12-01T14:00:00.000Z'],
    ['scheduled maintenance until December 2, 2026 10:00 UTC', '2026-12-02T10:00:00.000Z'],
    ['available on 3 Dec 2026 at 09:00 CET', '2026-12-03T08:00:00.000Z'],
    ['reopens 2026-12-01T08:00:00Z', '2026-12-01T08:00:00.000Z'],
  ])('%s', (text, expected) => {
    expect(at(text)).toBe(expected);
  });

  it('skips a weekend for the next market open', () => {
    const friday = Date.parse('2026-12-04T22:00:00Z'); // Friday 17:00 New York
    expect(new Date(resumeTime('market closed', friday)!).toISOString()).toBe(
      '2026-12-07T14:30:00.000Z',
    );
  });

  it('names no time when the message names none', () => {
    expect(at('Service unavailable')).toBeUndefined();
  });
});
