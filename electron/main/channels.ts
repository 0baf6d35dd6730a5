/**
 * IPC channel names shared by the main process and the preload. One `call` channel carries
 * every contract method (the method name is validated against the contract in main), so the
 * bridge grows with the contract instead of by hand.
 */
export const CHANNELS = {
  /** renderer → main (invoke): `{ method, input }` → Envelope. */
  call: 'tributary:call',
  /** main → renderer: an EngineEvent from the bus. */
  event: 'tributary:event',
  /** renderer → main (invoke): a DropPayload collected by the preload → DropReport. */
  drop: 'tributary:drop',
  /** main → renderer: a short message for a toast (drop results, warnings). */
  toast: 'tributary:toast',
  /** main → renderer: open a dashboard route (notification clicks, tray). */
  navigate: 'tributary:navigate',
} as const;

/**
 * The contract's method names reach the sandboxed preload as a command-line switch
 * (webPreferences.additionalArguments), so the preload never bundles zod or the contract.
 */
export const METHODS_SWITCH = '--tributary-methods=';

/** A message for the dashboard's toast area. */
export interface Toast {
  level: 'info' | 'warning' | 'error';
  title: string;
  lines: string[];
}
