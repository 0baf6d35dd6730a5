import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stderr (stdout stays free for command output). Keys named like
 * secrets are redacted at the logger, so a handler that logs its request options cannot
 * leak an API key.
 */
export function createLogger(options: { level?: string; destination?: number } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.TRIBUTARY_LOG_LEVEL ?? 'info',
      base: { pid: process.pid },
      redact: {
        paths: [
          '*.apiKey',
          '*.api_key',
          '*.authorization',
          '*.Authorization',
          '*.token',
          '*.password',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: options.destination ?? 2, sync: false }),
  );
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
