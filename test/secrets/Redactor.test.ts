import { describe, expect, it } from 'vitest';
import { Redactor } from '../../electron/engine/secrets/Redactor.ts';
import { EnvSecretStore, registering } from '../../electron/engine/secrets/SecretStore.ts';
import { redact } from '../../electron/engine/secrets/Redactor.ts';

describe('the redactor', () => {
  const value = 'q7Rk2-PzL9x!mW4&tY8v';
  const r = new Redactor();
  r.register('partner', value);

  it('replaces a handed-out value and its encodings by its name, never a prefix of it', () => {
    const text = [
      `key=${value}`,
      `url=https://api.example.org/?k=${encodeURIComponent(value)}`,
      `b64=${Buffer.from(value).toString('base64')}`,
      `Authorization: Basic ${Buffer.from(`alice:${value}`).toString('base64')}`,
      `Bearer ${value}`,
    ].join('\n');
    const out = r.redact(text);
    expect(out).not.toContain(value);
    expect(out).not.toContain(encodeURIComponent(value));
    expect(out).not.toContain(Buffer.from(value).toString('base64').slice(0, 12));
    expect(out).not.toContain('q7Rk');
    expect(out.match(/\[secret:partner\]/g)).toHaveLength(5);
  });

  it('catches well-known key formats the engine never handed out', () => {
    const out = r.redact('Incorrect API key provided: sk-proj-AbCdEf0123456789AbCdEf0123456789');
    expect(out).toMatch(/^Incorrect API key provided: \[secret:[a-z-]+\]$/);
  });

  it('redacts every string at any depth, and leaves other values alone', () => {
    const out = r.redactDeep({
      request: { headers: { authorization: `Bearer ${value}` }, n: 3, ok: true },
      list: [value, 1],
    });
    expect(JSON.stringify(out)).not.toContain(value);
    expect(out.request.n).toBe(3);
    expect(out.list[1]).toBe(1);
  });

  it('learns each value a store hands out, whatever store it is', async () => {
    const handed = 'zT5-handed-out-by-env-91c';
    const store = registering(new EnvSecretStore({ TRIBUTARY_SECRET_SHOP: handed }));
    expect(redact(`the value ${handed} was rejected`)).toContain(handed);
    expect(await store.get('shop')).toBe(handed);
    expect(redact(`the value ${handed} was rejected`)).toBe('the value [secret:shop] was rejected');
  });
});

describe('the pattern net', () => {
  it('leaves no tail of a key it did not hand out', () => {
    const out = new Redactor().redact(
      'Incorrect API key provided: sk-live-3f9a7c21d8e6+4b0f/9a2c7d1e5b8f4a6c.',
    );
    expect(out).not.toMatch(/4b0f|9a2c/);
  });
});
