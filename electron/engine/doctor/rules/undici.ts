import type { Rule } from '../types.ts';
import { hitOf, type Entry } from './entry.ts';

const UNDICI: Record<string, Entry> = {
  UND_ERR_CONNECT_TIMEOUT: ['transient', 0.88, 'network'],
  UND_ERR_HEADERS_TIMEOUT: ['transient', 0.85],
  UND_ERR_BODY_TIMEOUT: ['transient', 0.85],
  UND_ERR_SOCKET: ['transient', 0.85, 'network'],
  UND_ERR_CLOSED: ['transient', 0.8],
  UND_ERR_DESTROYED: ['transient', 0.75],
  UND_ERR_ABORTED: ['transient', 0.7],
  UND_ERR_INFO: ['transient', 0.6],
  UND_ERR_HEADERS_OVERFLOW: ['item_specific', 0.8],
  UND_ERR_RES_EXCEEDED_MAX_SIZE: ['item_specific', 0.85],
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: ['code_bug', 0.8],
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: ['transient', 0.75],
  UND_ERR_INVALID_ARG: ['code_bug', 0.85],
  UND_ERR_INVALID_RETURN_VALUE: ['code_bug', 0.85],
  UND_ERR_NOT_SUPPORTED: ['code_bug', 0.8],
};

/**
 * Node's fetch (undici): `TypeError: fetch failed` with the real reason in `cause`, and the
 * UND_ERR_* codes. A bare "fetch failed" with no cause is most often the network.
 */
export const undiciRule: Rule = (r, text) => {
  const code =
    [r.code, r.causeCode].find((c) => c?.startsWith('UND_ERR')) ??
    /\bUND_ERR_[A-Z_]+/.exec(text)?.[0];
  if (code) {
    return hitOf(`undici.${code}`, UNDICI[code] ?? ['transient', 0.6]);
  }
  if (/^(?:TypeError: )?fetch failed$/i.test(r.message.trim())) {
    if (r.causeMessage && /invalid url|unknown scheme|not implemented/i.test(r.causeMessage))
      return { class: 'item_specific', rule: 'undici.bad-url', confidence: 0.85 };
    return { class: 'transient', rule: 'undici.fetch-failed', confidence: 0.78, tag: 'network' };
  }
  if (r.name === 'TypeError' && /^terminated$/i.test(r.message.trim()))
    return { class: 'transient', rule: 'undici.terminated', confidence: 0.85 };
  return undefined;
};
