import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Correction } from '../../../electron/engine/api/types.ts';
import CorrectionsList from '../../../renderer/src/components/CorrectionsList.svelte';
import { BACKEND_KEY } from '../../../renderer/src/lib/api/backend.ts';
import Doctor from '../../../renderer/src/views/Doctor.svelte';
import { fakeBackend } from '../fakeBackend.ts';
import { job } from '../fixtures.ts';

const correction = (over: Partial<Correction> = {}): Correction => ({
  signature: 'HTTP 403: Forbidden',
  class: 'item_specific',
  action: null,
  note: 'geo-blocked pages',
  createdAt: Date.now() - 3_600_000,
  hits: 12,
  lastHitAt: Date.now() - 60_000,
  ...over,
});

const TWO = [
  correction(),
  correction({
    signature: 'Error: upstream said <q>',
    class: 'transient',
    action: 'retry',
    note: null,
    hits: 0,
    lastHitAt: null,
  }),
];

function showList(
  corrections: Correction[] | undefined,
  handlers: Parameters<typeof fakeBackend>[0] = {},
) {
  let changed = 0;
  const fake = fakeBackend({ listCorrections: () => ({ corrections: TWO }), ...handlers });
  const r = render(CorrectionsList, {
    props: { corrections, onchanged: () => changed++ },
    context: new Map([[BACKEND_KEY, fake.backend]]),
  });
  return { ...fake, ...r, changed: () => changed };
}

afterEach(() => vi.restoreAllMocks());

describe('the corrections list', () => {
  it('lists each correction with its class, action, note and use, and Remove forgets it', async () => {
    const { calls, changed } = showList(TWO, { forgetCorrection: () => ({ forgotten: true }) });
    const rows = screen.getByTestId('corrections').querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('item_specific');
    expect(rows[0]!.textContent).toContain('usual');
    expect(rows[0]!.textContent).toContain('geo-blocked pages');
    expect(rows[0]!.textContent).toContain('12');
    expect(rows[1]!.textContent).toContain('retry');
    await fireEvent.click(
      screen.getByRole('button', { name: 'Remove the correction for Error: upstream said <q>' }),
    );
    await waitFor(() => expect(changed()).toBe(1));
    expect(calls).toContainEqual({
      method: 'forgetCorrection',
      input: { signature: 'Error: upstream said <q>' },
    });
  });

  it('says how to teach one when there are none', () => {
    showList([]);
    expect(screen.getByTestId('corrections').textContent).toContain('No corrections yet');
  });

  it('exports a JSON lines file built from listCorrections, sorted by signature', async () => {
    let blob: Blob | undefined;
    URL.createObjectURL = vi.fn((b: Blob) => {
      blob = b;
      return 'blob:corrections';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const { calls } = showList(TWO);
    await fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(calls.map((c) => c.method)).toEqual(['listCorrections']);
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe(
      'tributary-corrections.jsonl',
    );
    const lines = (await blob!.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { signature: 'Error: upstream said <q>', class: 'transient', action: 'retry', note: null },
      {
        signature: 'HTTP 403: Forbidden',
        class: 'item_specific',
        action: null,
        note: 'geo-blocked pages',
      },
    ]);
  });

  it('imports a file by teaching each line and lists the lines it refused with their reasons', async () => {
    const { calls, container, changed } = showList(TWO, {
      teachCorrection: (input) => {
        const i = input as { signature: string };
        if (i.signature === 'c') throw new Error('teachCorrection: the database is locked');
        return { correction: correction(), matched: { decisions: 1, jobs: 1 } };
      },
    });
    const file = new File(
      [
        [
          '{"signature":"a","class":"transient","action":null,"note":null,"hits":3}',
          '',
          'not json',
          '{"signature":"b","class":"flaky"}',
          '{"signature":"c","class":"systemic","note":"login wall"}',
          '{"signature":"d","class":"item_specific","action":"skip"}',
        ].join('\n'),
      ],
      'team.jsonl',
    );
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [file] });
    await fireEvent.change(input);
    const report = await screen.findByTestId('import-report');
    expect(report.textContent).toContain('team.jsonl: taught 2 corrections, 3 lines refused');
    const refused = within(report)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    // Read as the CLI reads the file (the same module): bad JSON and a bad field are named by
    // line without asking the host; a line the host refuses is listed with its reason.
    expect(refused).toEqual([
      expect.stringMatching(/^line 3: not JSON: /),
      'line 4: class: unknown class `flaky`; one of: transient, rate_limited, item_specific, temporal, systemic, code_bug',
      'line 5: teachCorrection: the database is locked',
    ]);
    // Only the four fields reach the host (its input is strict); extra keys are left out.
    expect(calls.filter((c) => c.method === 'teachCorrection').map((c) => c.input)).toEqual([
      { signature: 'a', class: 'transient', action: null, note: null },
      { signature: 'c', class: 'systemic', action: null, note: 'login wall' },
      { signature: 'd', class: 'item_specific', action: 'skip', note: null },
    ]);
    expect(changed()).toBe(1);
  });
});

describe('the doctor view', () => {
  it('offers Correct… on each failure group, marks taught ones, and lists the corrections', async () => {
    const group = {
      class: 'systemic',
      signature: 'HTTP 403: Forbidden',
      count: 4,
      items: 3,
      firstAt: Date.now() - 600_000,
      lastAt: Date.now() - 60_000,
      source: 'rule',
      action: 'pause_job',
      stage: 'fetch',
      example: 'HTTP 403 Forbidden',
      taught: { class: 'item_specific', action: null },
    };
    const { backend } = fakeBackend({
      overview: () => ({
        host: { state: 'running', pid: 1, heartbeatAt: Date.now() },
        config: { file: 'jobs.yaml', error: null, retired: null },
        jobs: [job()],
        generatedAt: Date.now(),
      }),
      failures: () => ({ jobId: 'news', groups: [group], streaks: [] }),
      listCorrections: () => ({ corrections: [correction()] }),
    });
    render(Doctor, { context: new Map([[BACKEND_KEY, backend]]) });
    const taught = await screen.findByTestId('taught');
    expect(taught.textContent).toBe('taught: item_specific');
    expect(taught.closest('tr')!.textContent).toContain('HTTP 403 Forbidden');
    expect(screen.getByRole('button', { name: 'Correct…' })).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByTestId('corrections').querySelectorAll('tbody tr')).toHaveLength(1),
    );
  });
});
