import type { Envelope, MethodName } from '../../../../electron/engine/api/contract.ts';

/**
 * What the dashboard needs from its host, whichever transport carries it: the HTTP server
 * (headless) or the Electron preload (desktop). Only types come from the contract — the
 * renderer never bundles zod; inputs are validated where they arrive.
 */
export interface Transport {
  invoke(method: MethodName, input: unknown): Promise<Envelope<unknown>>;
  /** Engine events as they arrive (already coalesced by the host). Returns unsubscribe. */
  subscribe(onEvent: (e: UiEvent) => void, onStatus: (s: ConnectionStatus) => void): () => void;
}

/** An engine event as the view sees it: a type, usually a job, and whatever else it carries. */
export interface UiEvent {
  type: string;
  jobId?: string | null;
  [key: string]: unknown;
}

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

/**
 * The preload's object on `window.tributary` (desktop). Same shapes as the HTTP transport:
 * `call` resolves to an Envelope (never rejects for API errors), `onEvent` returns unsubscribe.
 */
export interface DesktopBridge {
  call(method: string, input: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (e: UiEvent) => void): () => void;
  /** Messages from the shell (drop results: which URL went to which job, what was refused). */
  onToast?(listener: (t: ShellToast) => void): () => void;
}

/** A toast the desktop shell sends (electron/main/channels.ts `Toast`, restated: no Electron import). */
export interface ShellToast {
  level: 'info' | 'warning' | 'error';
  title: string;
  lines: string[];
}
