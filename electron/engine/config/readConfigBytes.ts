import { readFileSync } from 'node:fs';
import type { ConfigProblem } from './ConfigError.ts';

/**
 * jobs.yaml files are a few kilobytes; a megabyte is a wrong file (a log, a dump, an export
 * saved over it), and parsing it would hold the host's event loop for nothing.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** The file's text, or the problem that makes it unreadable as jobs.yaml (with its place). */
export function readConfigBytes(file: string): Read {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return refuse(file, 1, 1, `cannot read: ${(e as Error).message}`);
  }
  return decodeConfigBytes(bytes, file);
}

export function decodeConfigBytes(bytes: Uint8Array, file: string): Read {
  if (bytes.length > MAX_CONFIG_BYTES)
    return refuse(
      file,
      1,
      1,
      `the file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; jobs.yaml is at most 1 MB — is this the right file?`,
    );
  if (
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff) ||
    // UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
    (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0)
  )
    return refuse(file, 1, 1, 'the file is UTF-16 encoded; save it as UTF-8');
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    // Text up to the NUL: a stray byte in a value, shown where it is; else a binary file.
    let textBefore = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, nul));
    } catch {
      textBefore = false;
    }
    if (!textBefore)
      return refuse(
        file,
        1,
        1,
        'the file holds binary data, not YAML text — is this the right file?',
      );
    const p = position(bytes, nul);
    return refuse(
      file,
      p.line,
      p.column,
      'a NUL byte in the text (binary data pasted into a value?); remove it',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const p = position(bytes, firstInvalidUtf8(bytes));
    return refuse(
      file,
      p.line,
      p.column,
      'the file is not UTF-8 text (an invalid byte here); save it as UTF-8',
    );
  }
  // Control characters other than tab, newline and carriage return mark a binary file too.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const ctl = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (ctl) {
    const before = text.slice(0, ctl.index);
    const line = before.split('\n').length;
    return refuse(
      file,
      line,
      ctl.index - before.lastIndexOf('\n'),
      `the file holds a control character (U+${ctl[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}), not YAML text`,
    );
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

type Read = { text: string; problems?: never } | { text?: never; problems: ConfigProblem[] };

/** The whole file refused, for a reason found at `line:column`. */
function refuse(file: string, line: number, column: number, message: string): Read {
  return { problems: [{ file, line, column, path: '', message }] };
}

function position(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++)
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const n =
      b < 0x80
        ? 0
        : b >= 0xc2 && b < 0xe0
          ? 1
          : b >= 0xe0 && b < 0xf0
            ? 2
            : b >= 0xf0 && b < 0xf5
              ? 3
              : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return 0;
}
