import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Correction, ItemDetail } from '../../../electron/engine/api/types.ts';
import DoctorVerdict from '../../../renderer/src/components/DoctorVerdict.svelte';
import { BACKEND_KEY } from '../../../renderer/src/lib/api/backend.ts';
import { fakeBackend } from '../fakeBackend.ts';

type Decision = NonNullable<ItemDetail['doctor']>[number];

const decision = (over: Partial<Decision> = {}): Decision => ({
  ts: Date.now() - 60_000,
  stage: 'fetch',
  attempt: 2,
  signature: 'HTTP 429: Too Many Requests',
  class: 'rate_limited',
  action: 'retry',
  source: 'rule',
  confidence: 0.95,
  rule: 'http.status',
  message: 'HTTP 429 Too Many Requests',
  paused: false,
  taught: null,
  ...over,
});

function show(decisions: Decision[], teach: (input: unknown) => unknown = taughtAs) {
  let changed = 0;
  const fake = fakeBackend({ teachCorrection: teach });
  render(DoctorVerdict, {
    props: { decisions, onchanged: () => changed++ },
    context: new Map([[BACKEND_KEY, fake.backend]]),
  });
  return { ...fake, changed: () => changed };
}

function taughtAs(input: unknown) {
  const i = input as { signature: string; class: Correction['class'] } & Partial<Correction>;
  return {
    correction: {
      signature: i.signature,
      class: i.class,
      action: i.action ?? null,
      note: i.note ?? null,
      createdAt: Date.now(),
      hits: 0,
      lastHitAt: null,
    },
    matched: { decisions: 3, jobs: 1 },
  };
}

describe("correcting the doctor's verdict", () => {
  it('opens a form on Correct…, teaches the chosen class, action and note, then shows taught: CLASS', async () => {
    const { calls, changed } = show([decision()]);
    await fireEvent.click(screen.getByRole('button', { name: 'Correct…' }));
    const form = screen.getByRole('form', { name: 'Correct the doctor' });
    const [cls, action] = form.querySelectorAll('select');
    // The doctor's own class is preselected.
    expect(cls!.value).toBe('rate_limited');
    expect([...cls!.options].map((o) => o.value)).toEqual([
      'transient',
      'rate_limited',
      'item_specific',
      'temporal',
      'systemic',
      'code_bug',
    ]);
    await fireEvent.change(cls!, { target: { value: 'item_specific' } });
    await fireEvent.change(action!, { target: { value: 'skip' } });
    await fireEvent.input(screen.getByLabelText('Note'), { target: { value: ' gone for good ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(screen.getByTestId('taught').textContent).toBe('taught: item_specific → skip'),
    );
    expect(calls).toContainEqual({
      method: 'teachCorrection',
      input: {
        signature: 'HTTP 429: Too Many Requests',
        class: 'item_specific',
        action: 'skip',
        note: 'gone for good',
      },
    });
    expect(screen.queryByRole('form', { name: 'Correct the doctor' })).toBeNull();
    expect(changed()).toBe(1);
  });

  it("shows what the host says was taught, and keeps the form open with the host's message when saving fails", async () => {
    show([decision({ taught: { class: 'systemic', action: null } })], () => {
      throw new Error('teachCorrection: signature: too long');
    });
    expect(screen.getByTestId('taught').textContent).toBe('taught: systemic');
    await fireEvent.click(screen.getByRole('button', { name: 'Correct…' }));
    // An existing correction is the starting point of the form.
    expect(screen.getByRole('form').querySelector('select')!.value).toBe('systemic');
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toContain('signature: too long');
    expect(screen.getByRole('form', { name: 'Correct the doctor' })).toBeTruthy();
    expect(screen.getByTestId('taught').textContent).toBe('taught: systemic');
  });

  it("offers no correction for the engine's own outcomes (a skip, a cancel)", () => {
    show([decision({ class: 'skip', action: 'skip', source: 'signal', rule: 'signal.SkipItem' })]);
    expect(screen.getByTestId('doctor-verdict')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Correct…' })).toBeNull();
  });
});
