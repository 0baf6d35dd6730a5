/**
 * Inline base64 images (`src="data:image/png;base64,…"`) can be most of a page's bytes; they
 * carry no text, slow the DOM parser and would end up in extracted text or LLM prompts. They
 * are cut before parsing, keeping the tag so the document's structure is unchanged.
 */
const DATA_URI = /data:[a-z]+\/[a-z0-9.+-]+(?:;[a-z0-9=.-]+)*;base64,[a-z0-9+/=\s]+/gi;

export function stripDataUris(html: string): { html: string; removed: number } {
  let removed = 0;
  const out = html.replace(DATA_URI, () => {
    removed++;
    return 'data:,';
  });
  return { html: out, removed };
}
