import { pino } from 'pino';
import { redact } from '../secrets/Redactor.ts';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stderr (stdout stays free for command output). Every string of
 * every log line, at any depth, passes the process's redactor (secrets the engine handed out,
 * their encodings, well-known key formats), and values under keys named like credentials are
 * censored whatever they hold — so a handler that logs its request options cannot leak a key.
 * `stream` replaces stderr (tests read the lines).
 */
export function createLogger(
  options: { level?: string; destination?: number; stream?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? process.env.TRIBUTARY_LOG_LEVEL ?? 'info',
      base: { pid: process.pid },
      formatters: { log: (obj) => censor(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    options.stream ?? pino.destination({ fd: options.destination ?? 2, sync: false }),
  );
}

const CREDENTIAL_KEY =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|apikey|token|access[-_]?token|password|passwd|secret|client[-_]?secret)$/i;

function censor(v: unknown, key?: string, seen = new WeakSet<object>()): unknown {
  if (typeof v === 'string') return key && CREDENTIAL_KEY.test(key) ? '[secret]' : redact(v);
  if (!v || typeof v !== 'object' || seen.has(v)) return v;
  seen.add(v);
  if (v instanceof Error)
    return {
      type: v.name,
      message: redact(v.message),
      stack: v.stack ? redact(v.stack) : undefined,
    };
  if (Array.isArray(v)) return v.map((x) => censor(x, key, seen));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = censor(x, k, seen);
  return out;
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
