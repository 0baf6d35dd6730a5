/** Dot paths into parsed JSON (`data.children`, `items.0.id`); `''` is the value itself. */
export function getPath(value: unknown, path: string): unknown {
  if (path === '' || path === '.') return value;
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** `fields` mapping (output name → dot path); without one, the whole object is the data. */
export function pickFields(
  raw: unknown,
  fields: Record<string, string> | undefined,
): Record<string, unknown> {
  if (!fields) {
    return raw && typeof raw === 'object' && !Array.isArray(raw)
      ? { ...(raw as object) }
      : { value: raw };
  }
  const out: Record<string, unknown> = {};
  for (const [to, from] of Object.entries(fields)) {
    const v = getPath(raw, from);
    if (v !== undefined) out[to] = v;
  }
  return out;
}
