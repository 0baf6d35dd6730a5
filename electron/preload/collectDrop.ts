import type { DropPayload } from '../main/dropPayload.ts';

/** The parts of a DOM DataTransfer the preload reads (kept structural: no DOM lib needed). */
export interface DataTransferLike {
  readonly types: readonly string[];
  getData(format: string): string;
  readonly files: ArrayLike<unknown>;
}

/**
 * Reads a drop's raw formats; parsing happens in main. File paths come from Electron's
 * webUtils.getPathForFile (the renderer never sees paths).
 */
export function collectDropPayload(
  dt: DataTransferLike,
  pathForFile: (file: unknown) => string,
): DropPayload {
  const payload: DropPayload = {};
  const get = (t: string) => (dt.types.includes(t) ? dt.getData(t) : '');
  const uriList = get('text/uri-list');
  const mozUrl = get('text/x-moz-url');
  const text = get('text/plain');
  if (uriList) payload.uriList = uriList;
  if (mozUrl) payload.mozUrl = mozUrl;
  if (text) payload.text = text;
  const files: string[] = [];
  for (let i = 0; i < dt.files.length; i++) {
    const path = pathForFile(dt.files[i]);
    if (path) files.push(path);
  }
  if (files.length > 0) payload.files = files;
  return payload;
}
