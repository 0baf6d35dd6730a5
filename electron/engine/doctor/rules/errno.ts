import type { ErrorClass } from '../../runner/ErrorClassifier.ts';
import type { Rule } from '../types.ts';

/** Node's system error codes (libuv errno and getaddrinfo) → what they mean for a stage. */
const ERRNO: Record<string, [ErrorClass, number]> = {
  ECONNRESET: ['transient', 0.9],
  ECONNABORTED: ['transient', 0.9],
  ECONNREFUSED: ['transient', 0.75],
  ETIMEDOUT: ['transient', 0.9],
  ESOCKETTIMEDOUT: ['transient', 0.9],
  EPIPE: ['transient', 0.85],
  EHOSTUNREACH: ['transient', 0.8],
  EHOSTDOWN: ['transient', 0.8],
  ENETUNREACH: ['transient', 0.8],
  ENETDOWN: ['transient', 0.8],
  ENETRESET: ['transient', 0.85],
  EAI_AGAIN: ['transient', 0.9],
  EAI_FAIL: ['transient', 0.6],
  EPROTO: ['transient', 0.7],
  EBUSY: ['transient', 0.7],
  EAGAIN: ['transient', 0.8],
  EMFILE: ['transient', 0.7],
  ENFILE: ['transient', 0.7],
  ENOMEM: ['systemic', 0.7],
  ENOTFOUND: ['item_specific', 0.75],
  EAI_NONAME: ['item_specific', 0.75],
  ENOENT: ['item_specific', 0.7],
  ENOTDIR: ['item_specific', 0.7],
  EISDIR: ['item_specific', 0.7],
  ENAMETOOLONG: ['item_specific', 0.8],
  EACCES: ['systemic', 0.85],
  EPERM: ['systemic', 0.85],
  EROFS: ['systemic', 0.95],
  ENOSPC: ['systemic', 0.98],
  EDQUOT: ['systemic', 0.98],
  ABORT_ERR: ['transient', 0.7],
  ERR_STREAM_PREMATURE_CLOSE: ['transient', 0.8],
  ERR_SOCKET_CONNECTION_TIMEOUT: ['transient', 0.9],
  ERR_TLS_CERT_ALTNAME_INVALID: ['item_specific', 0.7],
  CERT_HAS_EXPIRED: ['item_specific', 0.7],
  DEPTH_ZERO_SELF_SIGNED_CERT: ['item_specific', 0.7],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ['item_specific', 0.7],
};

/**
 * Errno codes on the error or its cause; the same code written in the message counts too
 * (`read ECONNRESET`, `getaddrinfo ENOTFOUND example.com`), since wrappers often drop `code`.
 * A missing executable (`spawn yt-dlp ENOENT`) is systemic, not a missing file for one item.
 */
export const errnoRule: Rule = (r, text) => {
  const code =
    [r.code, r.causeCode].find((c) => c !== undefined && c in ERRNO) ??
    [...text.matchAll(/\b(E[A-Z]{3,}[A-Z_]*|EAI_[A-Z]+)\b/g)]
      .map((m) => m[1])
      .find((c) => c! in ERRNO);
  if (!code || !(code in ERRNO)) return undefined;
  if (code === 'ENOENT' && /\bspawn\b|command not found|not found in path/i.test(text))
    return { class: 'systemic', rule: 'errno.spawn-ENOENT', confidence: 0.9 };
  const [cls, confidence] = ERRNO[code]!;
  return { class: cls, rule: `errno.${code}`, confidence };
};

/** Timeouts and aborts by name (AbortSignal.timeout throws TimeoutError). */
export const abortRule: Rule = (r) => {
  if (r.name === 'TimeoutError' || r.name === 'AbortError')
    return { class: 'transient', rule: `abort.${r.name}`, confidence: 0.8 };
  return undefined;
};
