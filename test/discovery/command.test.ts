import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthRequiredError } from '../../electron/engine/discovery/http.ts';
import { findStrategy } from '../../electron/engine/discovery/registry.ts';
import { collect } from './helpers.ts';

const SCRIPT = resolve(import.meta.dirname, '../fixtures/discovery/emitJsonLines.mjs');
const params = (mode: string) => ({
  command: process.execPath,
  args: [SCRIPT, mode],
  fields: { title: 'title', url: 'url' },
});

describe('command', () => {
  it('reads JSON lines keyed by id with the url as fallback, ignoring progress text', async () => {
    const { items } = await collect('command', params('ok'));
    expect(items.map((i) => i.key)).toEqual([
      'vid1',
      'https://www.youtube.com/watch?v=vid2',
      'vid3',
    ]);
    expect(items[0]?.data).toEqual({
      title: 'First video',
      url: 'https://www.youtube.com/watch?v=vid1',
    });
  });

  it('treats a non-zero exit with valid output as a partial success', async () => {
    const { items } = await collect('command', params('partial'));
    expect(items).toHaveLength(3);
  });

  it('treats empty output with a sign-in/bot message as an auth error', async () => {
    await expect(collect('command', params('auth'))).rejects.toBeInstanceOf(AuthRequiredError);
  });

  it('fails with the tail of stderr when the program fails with no output', async () => {
    await expect(collect('command', params('fail'))).rejects.toThrow(
      /exited 2 with no items: .*HTTP Error 500/,
    );
  });

  it('never uses a shell: arguments are passed literally', async () => {
    const { items } = await collect('command', {
      command: process.execPath,
      args: [
        '-e',
        'console.log(JSON.stringify({ id: process.argv[1] }))',
        '$(touch /tmp/x); echo hi',
      ],
    });
    expect(items.map((i) => i.key)).toEqual(['$(touch /tmp/x); echo hi']);
  });

  it('reports a program that cannot be found', async () => {
    await expect(collect('command', { command: 'definitely-not-a-program-xyz' })).rejects.toThrow(
      /cannot run/,
    );
  });

  it('kills the program when the round is aborted', async () => {
    const controller = new AbortController();
    const strategy = findStrategy('command');
    const gen = strategy.discover(strategy.paramsSchema.parse(params('slow')), {
      ...(await import('./helpers.ts')).baseCtx(),
      signal: controller.signal,
    });
    const seen: string[] = [];
    for await (const it of gen) {
      seen.push(it.key);
      if (seen.length === 3) controller.abort();
    }
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });
});
