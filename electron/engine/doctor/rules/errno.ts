import type { Rule } from '../types.ts';
import { hitOf, type Entry } from './entry.ts';

/**
 * Node's system error codes (libuv errno and getaddrinfo) → what they mean for a stage.
 * Connection-level failures carry the `network` tag: the engine probes before blaming the
 * item, because a laptop that lost its Wi-Fi fails every request the same way.
 */
const ERRNO: Record<string, Entry> = {
  ECONNRESET: ['transient', 0.85, 'network'],
  ECONNABORTED: ['transient', 0.85, 'network'],
  ECONNREFUSED: ['transient', 0.8, 'network'],
  ETIMEDOUT: ['transient', 0.85, 'network'],
  ESOCKETTIMEDOUT: ['transient', 0.85, 'network'],
  EPIPE: ['transient', 0.8],
  EHOSTUNREACH: ['transient', 0.85, 'network'],
  EHOSTDOWN: ['transient', 0.8, 'network'],
  ENETUNREACH: ['transient', 0.85, 'network'],
  ENETDOWN: ['transient', 0.85, 'network'],
  ENETRESET: ['transient', 0.85, 'network'],
  ENOTFOUND: ['transient', 0.8, 'network'],
  EAI_AGAIN: ['transient', 0.85, 'network'],
  EAI_NONAME: ['transient', 0.8, 'network'],
  EAI_FAIL: ['transient', 0.75, 'network'],
  EPROTO: ['transient', 0.65],
  EBUSY: ['transient', 0.75],
  EAGAIN: ['transient', 0.75],
  EMFILE: ['transient', 0.7],
  ENFILE: ['transient', 0.7],
  ENOMEM: ['systemic', 0.8],
  ENOENT: ['item_specific', 0.65],
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
  ERR_SOCKET_CONNECTION_TIMEOUT: ['transient', 0.85, 'network'],
  ERR_TLS_CERT_ALTNAME_INVALID: ['systemic', 0.85],
  CERT_HAS_EXPIRED: ['systemic', 0.9],
  DEPTH_ZERO_SELF_SIGNED_CERT: ['systemic', 0.88],
  SELF_SIGNED_CERT_IN_CHAIN: ['systemic', 0.88],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ['systemic', 0.88],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ['systemic', 0.88],
  ERR_INVALID_URL: ['item_specific', 0.9],
  ERR_INVALID_ARG_TYPE: ['code_bug', 0.9],
  ERR_INVALID_ARG_VALUE: ['code_bug', 0.88],
  ERR_MODULE_NOT_FOUND: ['code_bug', 0.9],
  MODULE_NOT_FOUND: ['code_bug', 0.9],
  ERR_REQUIRE_ESM: ['code_bug', 0.9],
  ERR_UNKNOWN_FILE_EXTENSION: ['code_bug', 0.88],
};

/** Loopback and unspecified addresses: a refused connection there is a local service that is down. */
const LOCAL_TARGET = /(?:\b127(?:\.\d{1,3}){3}|\blocalhost\b|\[?::1\]?|\b0\.0\.0\.0)(?::\d+)?/i;

/**
 * Errno codes on the error or its cause; the same code written in the message counts too
 * (`read ECONNRESET`, `getaddrinfo ENOTFOUND example.com`), since wrappers often drop `code`.
 * Two codes mean something else in context: a missing executable (`spawn yt-dlp ENOENT`) is
 * the machine's problem, not one item's; a refused connection to this machine (Ollama on
 * 127.0.0.1:11434) is a local service that is not running.
 */
export const errnoRule: Rule = (r, text) => {
  const code =
    [r.code, r.causeCode].find((c) => c !== undefined && c in ERRNO) ??
    [...text.matchAll(/\b(E[A-Z]{3,}[A-Z_]*|EAI_[A-Z]+|ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)\b/g)]
      .map((m) => m[1])
      .find((c) => c! in ERRNO);
  if (!code || !(code in ERRNO)) return undefined;
  if (code === 'ENOENT' && /\bspawn\b|command not found|not found in path|\bexecvp\b/i.test(text))
    return { class: 'systemic', rule: 'errno.spawn-ENOENT', confidence: 0.92 };
  if (code === 'ECONNREFUSED' && LOCAL_TARGET.test(`${r.causeMessage ?? ''} ${text}`))
    return { class: 'systemic', rule: 'errno.ECONNREFUSED-local', confidence: 0.9 };
  return hitOf(`errno.${code}`, ERRNO[code]!);
};

/** Timeouts and aborts by name (AbortSignal.timeout throws TimeoutError). */
export const abortRule: Rule = (r) => {
  if (r.name === 'TimeoutError' || r.name === 'AbortError')
    return { class: 'transient', rule: `abort.${r.name}`, confidence: 0.75 };
  return undefined;
};
