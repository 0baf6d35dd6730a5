import type { Rule, RuleHit } from '../types.ts';
import { hitOf, type Entry } from './entry.ts';

/**
 * Python exceptions by class, as the last line of a traceback names them. A script run by a
 * `command` stage that dies with TypeError or KeyError has a bug: every retry dies the same
 * way. Library exceptions say what failed outside (requests' ConnectionError, a timeout).
 * Classes not listed leave the decision to the message (the phrase rules).
 */
const EXCEPTIONS: Record<string, Entry> = {
  TypeError: ['code_bug', 0.9],
  AttributeError: ['code_bug', 0.9],
  NameError: ['code_bug', 0.92],
  KeyError: ['code_bug', 0.88],
  IndexError: ['code_bug', 0.86],
  ImportError: ['code_bug', 0.9],
  ModuleNotFoundError: ['code_bug', 0.9],
  SyntaxError: ['code_bug', 0.92],
  IndentationError: ['code_bug', 0.93],
  TabError: ['code_bug', 0.93],
  UnboundLocalError: ['code_bug', 0.92],
  AssertionError: ['code_bug', 0.85],
  ZeroDivisionError: ['code_bug', 0.85],
  RecursionError: ['code_bug', 0.88],
  NotImplementedError: ['code_bug', 0.72],
  ValueError: ['code_bug', 0.6],
  IntegrityError: ['code_bug', 0.9],
  ProgrammingError: ['code_bug', 0.9],
  JSONDecodeError: ['transient', 0.6],
  ConnectionError: ['transient', 0.85, 'network'],
  ConnectionResetError: ['transient', 0.85, 'network'],
  ConnectionRefusedError: ['transient', 0.8, 'network'],
  ConnectionAbortedError: ['transient', 0.85, 'network'],
  NewConnectionError: ['transient', 0.85, 'network'],
  MaxRetryError: ['transient', 0.8, 'network'],
  NameResolutionError: ['transient', 0.85, 'network'],
  gaierror: ['transient', 0.85, 'network'],
  ReadTimeout: ['transient', 0.85],
  ConnectTimeout: ['transient', 0.85, 'network'],
  Timeout: ['transient', 0.8],
  TimeoutError: ['transient', 0.8],
  ReadTimeoutError: ['transient', 0.85],
  ChunkedEncodingError: ['transient', 0.85],
  IncompleteRead: ['transient', 0.85],
  RemoteDisconnected: ['transient', 0.85, 'network'],
  ProtocolError: ['transient', 0.8],
  SSLError: ['systemic', 0.75],
  SSLCertVerificationError: ['systemic', 0.9],
  FileNotFoundError: ['item_specific', 0.7],
  IsADirectoryError: ['item_specific', 0.7],
  PermissionError: ['systemic', 0.85],
  MemoryError: ['systemic', 0.9],
  KeyboardInterrupt: ['transient', 0.6],
  UnicodeDecodeError: ['item_specific', 0.8],
  UnicodeEncodeError: ['code_bug', 0.75],
};

/** Exception names JavaScript does not use, so an unqualified one still means Python. */
const PYTHON_ONLY = new Set([
  'AttributeError',
  'KeyError',
  'IndexError',
  'NameError',
  'ImportError',
  'ModuleNotFoundError',
  'IndentationError',
  'UnboundLocalError',
  'ZeroDivisionError',
  'FileNotFoundError',
  'PermissionError',
  'UnicodeDecodeError',
  'RecursionError',
  'NotImplementedError',
]);

/** The exception line: `pkg.mod.ClassName: message` or a bare `ClassName` at the end. */
const EXC_LINE =
  /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Timeout|gaierror|IncompleteRead|RemoteDisconnected))(?::\s?(.*))?$/;

export const pythonRule: Rule = (r) => {
  const text = [r.stderr, r.message].filter(Boolean).join('\n');
  if (!/Traceback \(most recent call last\)|^\s*File "[^"]+", line \d+/m.test(text)) {
    // No traceback: a message that is one Python exception line still says its class.
    // The name must be qualified (`requests.exceptions.ConnectionError`) or exist only in
    // Python (JavaScript has TypeError and SyntaxError too).
    const only = EXC_LINE.exec(r.message.trim());
    if (!only) return undefined;
    const name = only[1]!;
    if (!/\w+\.\w+/.test(name) && !PYTHON_ONLY.has(name)) return undefined;
    return hitFor(name, 0.05);
  }
  const lines = text.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = EXC_LINE.exec(lines[i]!);
    if (m) return hitFor(m[1]!, 0);
  }
  return undefined;
};

/** `requests.exceptions.ConnectionError` → ConnectionError; a malus for weaker evidence. */
function hitFor(qualified: string, malus: number): RuleHit | undefined {
  const name = qualified.replace(/^.*\./, '');
  const e = EXCEPTIONS[name];
  if (!e) return undefined;
  return hitOf(`python.${name}`, [e[0], e[1] - malus, e[2]]);
}
