import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../electron/engine/api/types.ts';
import { BACKEND_KEY } from '../../../renderer/src/lib/api/backend.ts';
import Settings from '../../../renderer/src/views/Settings.svelte';
import { fakeBackend } from '../fakeBackend.ts';

const SETTINGS: SettingsView = {
  configFile: '/home/me/jobs.yaml',
  timeZone: 'Europe/Berlin',
  dailyCostLimitUsd: 5,
  llm: {
    defaultProvider: 'openai',
    providers: [
      {
        name: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        models: ['gpt-4o-mini', 'gpt-4o'],
        apiKeySecret: 'openai',
        timeoutMs: 120_000,
      },
      {
        name: 'work',
        baseUrl: 'https://llm.example/v1',
        models: [],
        apiKeySecret: 'work-key',
        timeoutMs: 30_000,
      },
    ],
  },
  notifications: {
    configured: true,
    enabled: true,
    minLevel: 'error',
    rateLimit: { count: 1, perMs: 600_000 },
  },
  doctor: null,
};

function show() {
  const stored = new Map<string, string>([['openai', 'sk-secret-value']]);
  const status = (names: string[]) => ({
    store: 'OS keychain (service tributary), then environment',
    warning: null,
    secrets: names.map((name) => ({
      name,
      set: stored.has(name),
      source: stored.has(name) ? ('keychain' as const) : null,
    })),
  });
  const fake = fakeBackend({
    settings: () => SETTINGS,
    secretStatus: (input) =>
      status((input as { names?: string[] }).names ?? ['anthropic', 'openai']),
    setSecret: (input) => {
      const i = input as { name: string; value: string };
      stored.set(i.name, i.value);
      return { set: true, source: 'keychain' };
    },
  });
  render(Settings, { context: new Map([[BACKEND_KEY, fake.backend]]) });
  return fake;
}

describe('the settings view', () => {
  it('lists the providers and models from the running config with the status of their keys', async () => {
    const { calls } = show();
    const row = (await screen.findByText('openai', { selector: 'strong' })).closest('tr')!;
    expect(row.textContent).toContain('https://api.openai.com/v1');
    expect(row.textContent).toContain('gpt-4o-mini');
    expect(row.textContent).toContain('default');
    await waitFor(() => expect(row.textContent).toContain('secret:openai — set (keychain)'));
    const work = screen.getByText('work', { selector: 'strong' }).closest('tr')!;
    expect(work.textContent).toContain('secret:work-key — not set');
    // The key the config names is asked for even though the store does not list it.
    expect(calls).toContainEqual({ method: 'secretStatus', input: { names: ['work-key'] } });
    expect(document.body.textContent).not.toContain('sk-secret-value');
  });

  it('stores a key through setSecret, clears the field and shows only its status', async () => {
    const { calls } = show();
    const setWork = await screen.findByRole('button', { name: 'Set key…' });
    await fireEvent.click(setWork);
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('work-key');
    const value = screen.getByLabelText('Value') as HTMLInputElement;
    expect(value.type).toBe('password');
    await fireEvent.input(value, { target: { value: 'wk-123-very-secret' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save key' }));
    await waitFor(() =>
      expect(calls).toContainEqual({
        method: 'setSecret',
        input: { name: 'work-key', value: 'wk-123-very-secret' },
      }),
    );
    await waitFor(() => expect(value.value).toBe(''));
    await waitFor(() =>
      expect(screen.getByText('work', { selector: 'strong' }).closest('tr')!.textContent).toContain(
        'set (keychain)',
      ),
    );
    expect(document.body.innerHTML).not.toContain('wk-123-very-secret');
  });

  it('shows the notification preferences read-only', async () => {
    show();
    const n = await screen.findByTestId('notifications');
    expect(n.textContent).toContain('on');
    expect(n.textContent).toContain('error');
    expect(n.textContent).toContain('1 per 10 m 0 s');
  });
});
