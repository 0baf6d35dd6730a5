import type { Rule } from '../types.ts';

/** Messages V8 produces only for programming mistakes, whatever the error's name became. */
const BUG_MESSAGE =
  /(cannot read propert(?:y|ies) of (?:undefined|null)|cannot set propert(?:y|ies) of (?:undefined|null)|is not a function|is not a constructor|is not defined|is not iterable|cannot access '[^']*' before initialization|assignment to constant variable|maximum call stack size exceeded|invalid array length|cannot destructure|reduce of empty array with no initial value|unexpected token .* in (?!json)|is not valid json.*handler|handler (?:must )?return(?:ed)? )/i;

/**
 * JavaScript errors that mean the handler is broken: retrying burns the queue with the
 * same crash. A JSON SyntaxError is different — usually a server answered HTML instead of
 * JSON (an error page), so it is transient.
 */
export const jsBugRule: Rule = (r, text) => {
  const name = r.name ?? '';
  if (name === 'SyntaxError') {
    if (/json|unexpected end of (?:data|input)|unexpected token '?<'?/i.test(r.message))
      return { class: 'transient', rule: 'js.json-parse', confidence: 0.6 };
    return { class: 'code_bug', rule: 'js.SyntaxError', confidence: 0.9 };
  }
  if (name === 'ReferenceError')
    return { class: 'code_bug', rule: 'js.ReferenceError', confidence: 0.95 };
  if (name === 'TypeError' || name === 'RangeError') {
    if (r.code === 'ERR_INVALID_URL' || /invalid url/i.test(r.message))
      return { class: 'item_specific', rule: 'js.invalid-url', confidence: 0.85 };
    return { class: 'code_bug', rule: `js.${name}`, confidence: 0.9 };
  }
  if (name === 'ZodError' || /^\s*\[\s*\{\s*"(?:code|expected)"/.test(r.message))
    return { class: 'item_specific', rule: 'js.validation', confidence: 0.7 };
  if (
    r.code?.startsWith('ERR_INVALID_ARG') ||
    r.code === 'ERR_MODULE_NOT_FOUND' ||
    r.code === 'MODULE_NOT_FOUND'
  )
    return { class: 'code_bug', rule: `node.${r.code}`, confidence: 0.9 };
  if (BUG_MESSAGE.test(text)) return { class: 'code_bug', rule: 'js.message', confidence: 0.8 };
  return undefined;
};
