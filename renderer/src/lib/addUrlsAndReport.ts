import type { ApiClient } from '../../../electron/engine/api/contract.ts';
import { toasts } from './stores/toasts.svelte.ts';

/** Sends URLs (in chunks the contract accepts) and says what was added and what was refused. */
export async function addUrlsAndReport(api: ApiClient, urls: string[]): Promise<boolean> {
  if (urls.length === 0) {
    toasts.push('error', 'no http(s) links found in what was dropped or pasted');
    return false;
  }
  let added = 0;
  let known = 0;
  const refused: string[] = [];
  try {
    for (let i = 0; i < urls.length; i += 1000) {
      const r = await api.addUrls({ urls: urls.slice(i, i + 1000) });
      for (const x of r.results) {
        if (x.refused) refused.push(`${x.url}: ${x.refused}`);
        else if (x.added) added++;
        else known++;
      }
    }
  } catch (err) {
    // Shown as the action's feedback; nothing else to undo (added URLs stay added).
    toasts.push('error', `adding URLs failed: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
  const parts = [`${added} URL${added === 1 ? '' : 's'} added`];
  if (known) parts.push(`${known} already known`);
  toasts.push(added > 0 || known > 0 ? 'success' : 'error', parts.join(', '));
  if (refused.length)
    toasts.push(
      'error',
      `${refused.length} refused — ${refused.slice(0, 3).join('; ')}${refused.length > 3 ? '…' : ''}`,
    );
  return added > 0 || known > 0;
}
