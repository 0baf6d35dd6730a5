import type { EngineEvent } from '../engine/events/EventBus.ts';

/** Coalescing window: at most one message per job and event type per 250 ms (≤ 4/s). */
export const COALESCE_MS = 250;
/** Attention events are individual messages; a flood is capped per window and summarised. */
const MAX_ATTENTION_PER_WINDOW = 20;

type Progress = Extract<EngineEvent, { type: 'progress' }>;
type Discovery = Extract<EngineEvent, { type: 'discovery' }>;

/**
 * Turns the engine's event stream into a bounded message stream for views: progress counts
 * of one job are summed, state-like events keep only their latest value, and everything is
 * flushed once per window. A burst of 10,000 completions becomes one message per job.
 */
export class EventCoalescer {
  private pending = new Map<string, EngineEvent>();
  private attention: EngineEvent[] = [];
  private droppedAttention = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onFlush: (events: EngineEvent[]) => void,
    private readonly windowMs = COALESCE_MS,
  ) {}

  push(event: EngineEvent): void {
    if (event.type === 'attention') {
      if (this.attention.length < MAX_ATTENTION_PER_WINDOW) this.attention.push(event);
      else this.droppedAttention++;
    } else {
      const key = `${event.type}\u0000${'jobId' in event ? event.jobId : ''}`;
      const prev = this.pending.get(key);
      this.pending.set(key, prev ? merge(prev, event) : event);
    }
    // Trailing window: the first event opens it, later ones ride along until it closes.
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const out = [...this.pending.values(), ...this.attention];
    if (this.droppedAttention > 0) {
      out.push({
        type: 'attention',
        jobId: null,
        level: 'warning',
        title: 'More alerts',
        message: `${this.droppedAttention} more alerts in the last moment (see the events list)`,
      });
    }
    this.pending = new Map();
    this.attention = [];
    this.droppedAttention = 0;
    if (out.length > 0) this.onFlush(out);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function merge(prev: EngineEvent, next: EngineEvent): EngineEvent {
  if (prev.type === 'progress' && next.type === 'progress') {
    const stages: Progress['stages'] = { ...prev.stages };
    for (const [k, n] of Object.entries(next.stages)) stages[k] = (stages[k] ?? 0) + n;
    return { ...next, stages };
  }
  if (prev.type === 'discovery' && next.type === 'discovery') {
    const d: Discovery = {
      ...next,
      found: prev.found + next.found,
      inserted: prev.inserted + next.inserted,
      merged: prev.merged + next.merged,
    };
    return d;
  }
  // job_state, config, host: only the latest value matters to a view.
  return next;
}
