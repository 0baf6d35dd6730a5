/**
 * Deterministic waiting (STYLE.md §9): poll a condition on the event loop instead of
 * sleeping a fixed time. The timeout only bounds a failing test; it is never the assertion.
 */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  { timeoutMs = 15_000, label = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
