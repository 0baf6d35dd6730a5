import { TIME_UNIT_MS } from '../util/timeUnits.ts';

/** A rate such as `60/min`, `5/s`, `1000/h`, `2/5s` → tokens per window. */
export interface Rate {
  tokens: number;
  perMs: number;
}

export function parseRate(text: string): Rate {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)?\s*([a-z]+)\s*$/i.exec(text);
  const unit = m ? TIME_UNIT_MS[(m[3] as string).toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) <= 0) {
    throw new Error(
      `\`${text}\` is not a rate; write requests per window, e.g. \`60/min\`, \`5/s\`, \`1000/h\`, \`2/5s\``,
    );
  }
  return { tokens: Number(m[1]), perMs: (m[2] ? Number(m[2]) : 1) * unit };
}
