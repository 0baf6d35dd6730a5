import { EventEmitter } from 'node:events';

/** What the engine pushes to views (dashboard over SSE/IPC, tray, notifier). */
export type EngineEvent =
  | { type: 'progress'; jobId: string; stages: Record<string, number> }
  | {
      type: 'job_state';
      jobId: string;
      paused: boolean;
      reason?: string | null;
      until?: number | null;
    }
  | {
      type: 'discovery';
      jobId: string;
      found: number;
      inserted: number;
      merged: number;
      error?: string;
    }
  | {
      type: 'attention';
      jobId: string | null;
      level: 'info' | 'warning' | 'error';
      title: string;
      message: string;
    }
  | { type: 'config'; ok: boolean; message: string }
  | { type: 'host'; state: 'started' | 'stopping' | 'stopped' };

/**
 * In-process event bus. Listeners are synchronous and must be cheap: views coalesce
 * (a burst of 10,000 completions arrives as ~one `progress` event per batch per job).
 */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Dashboards, the tray and the notifier all listen; no leak warning at 11 listeners.
    this.emitter.setMaxListeners(100);
  }

  emit(event: EngineEvent): void {
    this.emitter.emit('event', event);
  }

  on(listener: (event: EngineEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
