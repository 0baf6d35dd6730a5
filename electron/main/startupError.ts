import { ConfigError, formatProblem } from '../engine/config/ConfigError.ts';
import { HostLockedError } from '../engine/runner/HostLock.ts';

export interface StartupProblem {
  title: string;
  message: string;
  detail: string;
}

/**
 * A start that fails must say why in a window, not exit silently: the two expected causes
 * get a plain explanation and what to do; anything else shows its message.
 */
export function describeStartupError(err: unknown, configFile: string): StartupProblem {
  if (err instanceof HostLockedError)
    return {
      title: 'Tributary is already running on this data',
      message: `Another Tributary host (PID ${err.pid}) holds the data directory.`,
      detail: `${err.message}\n\nStop the other host (for example \`jobctl run\` in a terminal) and start the app again, or start the app with --data pointing at another folder.`,
    };
  if (err instanceof ConfigError)
    return {
      title: 'jobs.yaml has problems',
      message: `${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} in ${configFile}`,
      detail: `${err.problems.map(formatProblem).join('\n')}\n\nFix the file and start the app again.`,
    };
  const message = err instanceof Error ? err.message : String(err);
  return {
    title: 'Tributary could not start',
    message,
    detail: `Config: ${configFile}\n\n${err instanceof Error && err.stack ? err.stack : message}`,
  };
}
