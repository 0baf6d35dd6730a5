export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'tributary.theme';

/**
 * Light/dark: follows the OS (prefers-color-scheme) until the person picks one; the choice
 * is remembered in localStorage and applied as `data-theme` on <html>.
 */
export class Theme {
  choice = $state<ThemeChoice>('system');

  constructor(private readonly root: HTMLElement = document.documentElement) {
    const saved = safeGet(KEY);
    if (saved === 'light' || saved === 'dark') this.choice = saved;
    this.apply();
  }

  /** system → light → dark → system */
  cycle(): void {
    this.choice = this.choice === 'system' ? 'light' : this.choice === 'light' ? 'dark' : 'system';
    safeSet(KEY, this.choice);
    this.apply();
  }

  private apply(): void {
    if (this.choice === 'system') this.root.removeAttribute('data-theme');
    else this.root.setAttribute('data-theme', this.choice);
  }
}

function safeGet(k: string): string | null {
  try {
    return localStorage.getItem(k);
  } catch {
    // Storage disabled (privacy mode): fall back to following the OS.
    return null;
  }
}

function safeSet(k: string, v: string): void {
  try {
    localStorage.setItem(k, v);
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
}
