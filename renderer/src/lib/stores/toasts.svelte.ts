export interface Toast {
  id: number;
  level: 'info' | 'success' | 'warning' | 'error';
  message: string;
  /** Details under the message (desktop drop results: which URL went where, what was refused). */
  lines?: string[];
}

/** Immediate feedback for actions: a short line that disappears by itself (errors stay longer). */
export class Toasts {
  list = $state<Toast[]>([]);
  private next = 1;

  push(level: Toast['level'], message: string, lines?: string[]): void {
    const t: Toast = { id: this.next++, level, message, ...(lines?.length ? { lines } : {}) };
    // Keep the stack short: long sessions must not accumulate DOM.
    this.list = [...this.list.slice(-4), t];
    setTimeout(() => this.dismiss(t.id), level === 'error' || level === 'warning' ? 10_000 : 4_000);
  }

  dismiss(id: number): void {
    this.list = this.list.filter((t) => t.id !== id);
  }

  /** Runs an action, then reports what it did or what went wrong. */
  async run<T>(action: () => Promise<T>, describe: (result: T) => string): Promise<T | undefined> {
    try {
      const r = await action();
      this.push('success', describe(r));
      return r;
    } catch (err) {
      // The failure is the feedback: shown as an error toast with the host's message.
      this.push('error', err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }
}

export const toasts = new Toasts();
