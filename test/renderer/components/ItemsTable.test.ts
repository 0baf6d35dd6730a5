import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ItemRow } from '../../../electron/engine/api/types.ts';
import { BACKEND_KEY } from '../../../renderer/src/lib/api/backend.ts';
import ItemsTable from '../../../renderer/src/components/ItemsTable.svelte';
import { fakeBackend } from '../fakeBackend.ts';

/** 25 items in the server's order (priority, id): ids 1..25, priority = id % 3. */
const ALL: ItemRow[] = Array.from({ length: 25 }, (_, i) => ({
  id: i + 1,
  jobId: 'news',
  key: `k${String(i + 1).padStart(2, '0')}`,
  priority: (i + 1) % 3,
  status: 'done' as const,
  discoveredAt: 0,
  updatedAt: 1_000 * (25 - i),
  title: null,
})).sort((a, b) => a.priority - b.priority || a.id - b.id);

function show() {
  const { backend, calls } = fakeBackend({
    items: (input) => {
      const q = input as {
        limit: number;
        offset?: number;
        afterId?: number;
        afterPriority?: number;
      };
      const from =
        q.afterId !== undefined
          ? ALL.findIndex((r) => r.id === q.afterId && r.priority === q.afterPriority) + 1
          : (q.offset ?? 0);
      return { items: ALL.slice(from, from + q.limit), total: ALL.length };
    },
  });
  render(ItemsTable, {
    props: { jobId: 'news', stages: ['fetch'], pageSize: 10 },
    context: new Map([[BACKEND_KEY, backend]]),
  });
  const itemCalls = () => calls.filter((c) => c.method === 'items').map((c) => c.input);
  const keys = () =>
    [...screen.getByTestId('items-table').querySelectorAll('tbody tr td:first-child a')].map(
      (a) => a.textContent,
    );
  return { itemCalls, keys };
}

describe('the items table', () => {
  it('pages forward by keyset from the last row, and jumps to the end by offset', async () => {
    const { itemCalls, keys } = show();
    await waitFor(() => expect(keys()).toHaveLength(10));
    const firstPage = keys();
    // Last, before any cursor is known: an offset.
    await fireEvent.click(screen.getByRole('button', { name: 'Last »' }));
    await waitFor(() => expect(keys()).toHaveLength(5));
    expect(itemCalls().at(-1)).toMatchObject({ offset: 20 });
    await fireEvent.click(screen.getByRole('button', { name: '« First' }));
    await waitFor(() => expect(keys()).toEqual(firstPage));
    // Next: after the last row shown, whatever the page number.
    const lastOfFirst = ALL[9]!;
    await fireEvent.click(screen.getByRole('button', { name: 'Next ›' }));
    await waitFor(() => expect(keys()[0]).toBe(ALL[10]!.key));
    expect(itemCalls().at(-1)).toMatchObject({
      afterId: lastOfFirst.id,
      afterPriority: lastOfFirst.priority,
    });
    expect(itemCalls().at(-1)).not.toHaveProperty('offset');
    await fireEvent.click(screen.getByRole('button', { name: 'Next ›' }));
    await waitFor(() => expect(keys()[0]).toBe(ALL[20]!.key));
    expect(itemCalls().at(-1)).toMatchObject({ afterId: ALL[19]!.id });
    // Previous: the cursor remembered for that page.
    await fireEvent.click(screen.getByRole('button', { name: '‹ Previous' }));
    await waitFor(() => expect(keys()[0]).toBe(ALL[10]!.key));
    expect(itemCalls().at(-1)).toMatchObject({ afterId: lastOfFirst.id });
  });

  it('starts again from the first page when a filter changes', async () => {
    const { itemCalls, keys } = show();
    await waitFor(() => expect(keys()).toHaveLength(10));
    await fireEvent.click(screen.getByRole('button', { name: 'Next ›' }));
    await waitFor(() => expect(keys()[0]).toBe(ALL[10]!.key));
    await fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'failed' } });
    await waitFor(() => expect(itemCalls().at(-1)).toMatchObject({ status: 'failed' }));
    const last = itemCalls().at(-1)!;
    expect(last).not.toHaveProperty('afterId');
    expect(last).not.toHaveProperty('offset');
  });

  it('sorts the page shown by a column, says so, and returns to the server order', async () => {
    const { keys } = show();
    await waitFor(() => expect(keys()).toHaveLength(10));
    const serverOrder = keys();
    await fireEvent.click(screen.getByRole('button', { name: 'Item' }));
    expect(screen.getByTestId('sort-note').textContent).toContain('on this page only');
    await fireEvent.click(screen.getByRole('button', { name: 'Item' }));
    expect(keys()).toEqual([...serverOrder].sort().reverse());
    await fireEvent.click(screen.getByRole('button', { name: 'Back to that order' }));
    expect(keys()).toEqual(serverOrder);
    expect(screen.queryByTestId('sort-note')).toBeNull();
  });

  it('asks the server for another order, and pages it by offset', async () => {
    const { itemCalls } = show();
    await waitFor(() => expect(itemCalls()).toHaveLength(1));
    await fireEvent.click(screen.getByRole('button', { name: 'Updated' }));
    await waitFor(() => expect(itemCalls().at(-1)).toMatchObject({ sort: 'updated' }));
    expect(screen.queryByTestId('sort-note')).toBeNull();
    await fireEvent.change(screen.getByTestId('items-order'), { target: { value: 'newest' } });
    await waitFor(() => expect(itemCalls().at(-1)).toMatchObject({ sort: 'newest' }));
    expect(itemCalls().at(-1)).not.toHaveProperty('afterId');
  });
});
