import type { Rule } from '../types.ts';

/**
 * JavaScript errors by name: a ReferenceError or TypeError means the handler is broken and
 * retrying replays the crash. Weights sit below the network families, because undici throws
 * `TypeError: fetch failed` for a dropped connection; and a JSON SyntaxError usually means a
 * server answered an HTML error page, not that our code is wrong. The phrases (rules/phrases)
 * recognise V8's bug messages whatever the name became.
 */
export const jsBugRule: Rule = (r) => {
  const name = r.name ?? '';
  if (name === 'SyntaxError') {
    if (/json|unexpected end of (?:data|input)|unexpected token '?<'?/i.test(r.message))
      return { class: 'transient', rule: 'js.json-parse', confidence: 0.62 };
    return { class: 'code_bug', rule: 'js.SyntaxError', confidence: 0.88 };
  }
  if (name === 'ReferenceError')
    return { class: 'code_bug', rule: 'js.ReferenceError', confidence: 0.93 };
  // undici's network failures are TypeErrors too; the undici family reads those.
  if (name === 'TypeError' && /^(?:fetch failed|terminated)$/i.test(r.message.trim()))
    return undefined;
  if (name === 'TypeError' || name === 'RangeError') {
    if (r.code === 'ERR_INVALID_URL' || /invalid url/i.test(r.message))
      return { class: 'item_specific', rule: 'js.invalid-url', confidence: 0.9 };
    return { class: 'code_bug', rule: `js.${name}`, confidence: 0.84 };
  }
  if (name === 'ZodError' || /^\s*\[\s*\{\s*"(?:code|expected)"/.test(r.message))
    return { class: 'item_specific', rule: 'js.validation', confidence: 0.7 };
  return undefined;
};
