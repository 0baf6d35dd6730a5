/** One problem in a config file, located precisely enough to jump to it in an editor. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Field path such as `jobs[0].stages[1].concurrency`. */
  path: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** Every problem found in one load, not just the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${problems[0]?.file ?? 'config'}:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
  }
}
