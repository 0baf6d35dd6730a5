const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;

/**
 * The http(s) URLs in pasted or dropped text, in order, without duplicates. A text/uri-list
 * drop (one URL a line, `#` comments) and free text with links in it both work.
 */
export function extractUrls(text: string): string[] {
  const found = (text.match(URL_IN_TEXT) ?? []).map((u) => u.replace(/[),.;:!?\]]+$/, ''));
  return [...new Set(found)];
}

/** URLs carried by a drop: the uri-list first (browsers put the link there), then plain text. */
export function urlsFromDataTransfer(dt: Pick<DataTransfer, 'getData'>): string[] {
  return extractUrls(`${dt.getData('text/uri-list')}\n${dt.getData('text/plain')}`);
}
