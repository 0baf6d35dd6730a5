import type { IpcMain } from 'electron';
import { z } from 'zod';
import { CHANNELS } from './channels.ts';
import type { DropPayload } from './dropPayload.ts';
import type { DropReport } from './handleDrop.ts';
import {
  createCallHandler,
  isTrustedSender,
  type Callable,
  type TrustPolicy,
} from './ipcHandler.ts';

/** What the preload may send for a drop: strings only, bounded, no extra keys. */
export const dropPayloadSchema = z
  .object({
    uriList: z.string().max(100_000).optional(),
    mozUrl: z.string().max(100_000).optional(),
    text: z.string().max(100_000).optional(),
    files: z.array(z.string().max(4096)).max(100).optional(),
  })
  .strict();

/** Wires the two invoke channels; returns a function that removes them (for shutdown). */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  deps: {
    api: Callable;
    trust: TrustPolicy;
    drop(payload: DropPayload): Promise<DropReport>;
    onError(method: string, err: unknown): void;
  },
): () => void {
  const call = createCallHandler(deps);
  ipcMain.handle(CHANNELS.call, (event, request: unknown) => call(event, request));
  ipcMain.handle(CHANNELS.drop, async (event, payload: unknown) => {
    if (!isTrustedSender(event, deps.trust))
      return { error: { code: 'forbidden', message: 'IPC from an untrusted sender' } };
    const parsed = dropPayloadSchema.safeParse(payload);
    if (!parsed.success)
      return { error: { code: 'invalid_input', message: 'drop: malformed payload' } };
    try {
      return { result: await deps.drop(parsed.data) };
    } catch (err) {
      // handleDrop reports per-URL problems itself; this is a bug, logged with its stack.
      deps.onError('drop', err);
      return { error: { code: 'internal', message: (err as Error).message } };
    }
  });
  return () => {
    ipcMain.removeHandler(CHANNELS.call);
    ipcMain.removeHandler(CHANNELS.drop);
  };
}
