import { describe, expect, it } from 'vitest';
import {
  dashboardRoute,
  noticeForEvent,
  NotificationRouter,
  type DesktopNotice,
} from '../../../electron/main/notifications.ts';

describe('notifications', () => {
  it('notify doctor and cost-limit pauses, attention and invalid configs, but not user pauses', () => {
    expect(
      noticeForEvent({
        type: 'job_state',
        jobId: 'news',
        paused: true,
        reason: 'daily cost limit $5 reached',
      }),
    ).toMatchObject({
      title: 'Paused: news',
      body: 'daily cost limit $5 reached',
      route: '#/job/news',
    });
    expect(
      noticeForEvent({ type: 'job_state', jobId: 'news', paused: true, reason: 'paused by user' }),
    ).toBeUndefined();
    expect(
      noticeForEvent({
        type: 'job_state',
        jobId: 'news',
        paused: true,
        reason: 'offline: waiting for the network',
      }),
    ).toBeUndefined();
    expect(noticeForEvent({ type: 'job_state', jobId: 'news', paused: false })).toBeUndefined();
    expect(
      noticeForEvent({
        type: 'attention',
        jobId: null,
        level: 'error',
        title: 'Doctor',
        message: 'systemic',
      }),
    ).toMatchObject({ route: '#/' });
    expect(
      noticeForEvent({ type: 'attention', jobId: 'a', level: 'info', title: 'x', message: 'y' }),
    ).toBeUndefined();
    expect(
      noticeForEvent({ type: 'config', ok: false, message: 'jobs.yaml:3:5 unknown key' }),
    ).toMatchObject({ title: 'jobs.yaml is invalid' });
    expect(noticeForEvent({ type: 'progress', jobId: 'a', stages: {} })).toBeUndefined();
  });

  it('route a click on a notification to the job in the dashboard', () => {
    const shown: { notice: DesktopNotice; click: () => void }[] = [];
    const opened: string[] = [];
    const router = new NotificationRouter({
      sink: { show: (notice, click) => shown.push({ notice, click }) },
      openRoute: (r) => opened.push(r),
    });
    router.handle({
      type: 'job_state',
      jobId: 'my job/1',
      paused: true,
      reason: 'systemic: 5 failures in a row',
    });
    expect(shown).toHaveLength(1);
    shown[0]!.click();
    expect(opened).toEqual([dashboardRoute('my job/1')]);
    expect(opened[0]).toBe('#/job/my%20job%2F1');
  });

  it('turn a storm of the same problem into one notification per window', () => {
    let now = 1_000;
    const shown: string[] = [];
    const router = new NotificationRouter({
      sink: { show: (n) => shown.push(n.title) },
      openRoute: () => {},
      now: () => now,
      windowMs: 60_000,
    });
    const e = {
      type: 'attention',
      jobId: 'a',
      level: 'error',
      title: 'Rate limited',
      message: '429',
    } as const;
    for (let i = 0; i < 50; i++) router.handle(e);
    now += 60_001;
    router.handle(e);
    expect(shown).toEqual(['Rate limited', 'Rate limited']);
  });
});
