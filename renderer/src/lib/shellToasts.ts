import type { Backend } from './api/backend.ts';
import type { ShellToast } from './api/transport.ts';
import type { Toasts } from './stores/toasts.svelte.ts';

/** A drop of 500 links must not become a toast taller than the window. */
export const MAX_TOAST_LINES = 8;

/** Shows a shell toast (desktop drop results) in the page's toast area. */
export function showShellToast(toasts: Toasts, t: ShellToast): void {
  const lines =
    t.lines.length > MAX_TOAST_LINES
      ? [
          ...t.lines.slice(0, MAX_TOAST_LINES - 1),
          `… and ${t.lines.length - (MAX_TOAST_LINES - 1)} more`,
        ]
      : t.lines;
  toasts.push(t.level, t.title, lines);
}

/** Subscribes to the desktop shell's toasts; a no-op in the browser. Returns unsubscribe. */
export function followShellToasts(backend: Backend, toasts: Toasts): () => void {
  return backend.onShellToast?.((t) => showShellToast(toasts, t)) ?? (() => undefined);
}
