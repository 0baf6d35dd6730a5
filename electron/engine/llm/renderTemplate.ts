/**
 * `{{ path.to.value }}` templates for prompts. Paths resolve against
 * `{ item: { key, data }, data, upstream, <stage>: <output> }`; strings are inserted as they
 * are, other values as JSON, missing values as nothing (and are reported, so a typo in a
 * prompt is visible in the log instead of silently sending an empty field).
 */
export function renderTemplate(
  template: string,
  scope: Record<string, unknown>,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, path: string) => {
    let cur: unknown = scope;
    for (const part of path.split('.')) {
      if (cur === null || typeof cur !== 'object') {
        cur = undefined;
        break;
      }
      cur = (cur as Record<string, unknown>)[part];
    }
    if (cur === undefined || cur === null) {
      missing.push(path);
      return '';
    }
    return typeof cur === 'string' ? cur : JSON.stringify(cur);
  });
  return { text, missing };
}
