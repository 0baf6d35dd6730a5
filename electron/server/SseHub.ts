import { redact } from '../engine/secrets/Redactor.ts';
import type { ServerResponse } from 'node:http';
import type { EngineEvent, EventBus } from '../engine/events/EventBus.ts';
import { EventCoalescer } from './EventCoalescer.ts';

/** A comment line every 15 s keeps proxies and idle-timeouts from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** A client that cannot keep up (stalled tab) is dropped instead of buffering forever. */
const MAX_BUFFERED_BYTES = 1_000_000;

/**
 * Server-Sent Events fan-out of the engine's event bus. Every engine event travels as
 * `event: engine` with its `type` inside the data, so a view needs one listener and new event
 * types reach it without a client change (EventSource drops names nobody listens to). One coalescer serves every client,
 * so the work per engine event is O(1) no matter how many tabs are open.
 */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly coalescer: EventCoalescer;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private nextId = 1;

  constructor(bus: EventBus | undefined, windowMs?: number) {
    this.coalescer = new EventCoalescer((events) => this.broadcast(events), windowMs);
    this.unsubscribe = bus ? bus.on((e) => this.coalescer.push(e)) : () => undefined;
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // `retry` tells EventSource to reconnect after 2 s if the host restarts.
    res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ at: Date.now() })}\n\n`);
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  private broadcast(events: EngineEvent[]): void {
    let chunk = '';
    for (const e of events)
      chunk += `id: ${this.nextId++}\nevent: engine\ndata: ${redact(JSON.stringify(e))}\n\n`;
    this.write(chunk);
  }

  private write(chunk: string): void {
    for (const res of this.clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        // The tab reconnects (EventSource retry) and refetches; nothing is lost but deltas.
        res.destroy();
        this.clients.delete(res);
        continue;
      }
      res.write(chunk);
    }
  }

  close(): void {
    this.unsubscribe();
    this.coalescer.close();
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
