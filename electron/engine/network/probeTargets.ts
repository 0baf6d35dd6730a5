import { connect } from 'node:net';

/**
 * Whether any target accepts a TCP connection within the timeout. A host name needs DNS on
 * the way, so one probe checks both things an outage breaks.
 */
export async function probeTargets(
  targets: readonly string[],
  timeoutMs: number,
): Promise<boolean> {
  const tries = targets.map((t) => canConnect(t, timeoutMs));
  for (const ok of await Promise.all(tries)) if (ok) return true;
  return false;
}

function canConnect(target: string, timeoutMs: number): Promise<boolean> {
  const i = target.lastIndexOf(':');
  const host = target.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(target.slice(i + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
