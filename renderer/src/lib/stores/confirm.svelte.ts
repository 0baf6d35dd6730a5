export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  resolve: (ok: boolean) => void;
}

/** Destructive actions ask first, in a dialog inside the page (no blocking window.confirm). */
export class Confirmer {
  pending = $state<ConfirmRequest | null>(null);

  ask(title: string, message: string, confirmLabel = 'Confirm'): Promise<boolean> {
    this.pending?.resolve(false);
    return new Promise((resolve) => {
      this.pending = {
        title,
        message,
        confirmLabel,
        resolve: (ok) => {
          this.pending = null;
          resolve(ok);
        },
      };
    });
  }
}

export const confirmer = new Confirmer();
