import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../renderer/src/lib/api/backend.ts';
import type { ShellToast } from '../../../renderer/src/lib/api/transport.ts';
import { followShellToasts, MAX_TOAST_LINES } from '../../../renderer/src/lib/shellToasts.ts';
import { toasts } from '../../../renderer/src/lib/stores/toasts.svelte.ts';
import Toasts from '../../../renderer/src/components/Toasts.svelte';
import { fakeBackend } from '../fakeBackend.ts';

/** A desktop Backend whose shell can send toasts (like the preload's onToast). */
function desktop(): { backend: Backend; send: (t: ShellToast) => void; listeners: () => number } {
  const { backend } = fakeBackend({});
  const ls = new Set<(t: ShellToast) => void>();
  backend.onShellToast = (l) => {
    ls.add(l);
    return () => ls.delete(l);
  };
  return { backend, send: (t) => ls.forEach((l) => l(t)), listeners: () => ls.size };
}

describe('toasts from the desktop shell', () => {
  it('shows which URL went to which job and what was refused', async () => {
    const d = desktop();
    render(Toasts);
    const stop = followShellToasts(d.backend, toasts);
    d.send({
      level: 'warning',
      title: 'Added 2 URLs',
      lines: ['2 → links', 'refused ftp://x: only http(s) links'],
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Added 2 URLs');
    expect(alert.textContent).toContain('2 → links');
    expect(alert.textContent).toContain('refused ftp://x: only http(s) links');
    stop();
    expect(d.listeners()).toBe(0);
  });

  it('caps a long report so the toast never outgrows the window', async () => {
    const d = desktop();
    render(Toasts);
    followShellToasts(d.backend, toasts);
    d.send({
      level: 'info',
      title: 'Added 40 URLs',
      lines: Array.from({ length: 40 }, (_, i) => `refused u${i}: duplicate`),
    });
    const status = await screen.findByText('Added 40 URLs');
    const items = status.parentElement!.querySelectorAll('li');
    expect(items).toHaveLength(MAX_TOAST_LINES);
    expect(items[items.length - 1]!.textContent).toBe(`… and ${40 - MAX_TOAST_LINES + 1} more`);
  });

  it('does nothing in the browser, where the page handles drops itself', () => {
    const { backend } = fakeBackend({});
    expect(() => followShellToasts(backend, toasts)()).not.toThrow();
  });
});
