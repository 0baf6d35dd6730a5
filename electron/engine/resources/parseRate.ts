/** A rate such as `60/min`, `5/s`, `1000/h`, `2/5s` → tokens per window. */
export interface Rate {
  tokens: number;
  perMs: number;
}

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

export function parseRate(text: string): Rate {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)?\s*([a-z]+)\s*$/i.exec(text);
  const unit = m ? UNITS[(m[3] as string).toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) <= 0) {
    throw new Error(
      `\`${text}\` is not a rate; write requests per window, e.g. \`60/min\`, \`5/s\`, \`1000/h\`, \`2/5s\``,
    );
  }
  return { tokens: Number(m[1]), perMs: (m[2] ? Number(m[2]) : 1) * unit };
}
