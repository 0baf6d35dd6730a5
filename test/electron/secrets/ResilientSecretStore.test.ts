import { describe, expect, it } from 'vitest';
import { EngineApi } from '../../../electron/engine/api/EngineApi.ts';
import type { KeytarLike } from '../../../electron/engine/secrets/keytarLike.ts';
import {
  ResilientSecretStore,
  SecretStoreUnavailableError,
} from '../../../electron/engine/secrets/ResilientSecretStore.ts';

/** An in-memory keytar; `fail` makes every call reject like a dead D-Bus does. */
function fakeKeytar(opts: { fail?: string } = {}): KeytarLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  const guard = () => {
    if (opts.fail) throw new Error(opts.fail);
  };
  return {
    data,
    async getPassword(s, a) {
      guard();
      return data.get(`${s}/${a}`) ?? null;
    },
    async setPassword(s, a, p) {
      guard();
      data.set(`${s}/${a}`, p);
    },
    async deletePassword(s, a) {
      guard();
      return data.delete(`${s}/${a}`);
    },
    async findCredentials(s) {
      guard();
      return [...data]
        .filter(([k]) => k.startsWith(`${s}/`))
        .map(([k, password]) => ({ account: k.slice(s.length + 1), password }));
    },
  };
}

describe('ResilientSecretStore', () => {
  it('stores, reads and deletes secrets in the keychain when it works', async () => {
    const keytar = fakeKeytar();
    const store = new ResilientSecretStore({ env: {}, loadKeytar: async () => keytar });
    await store.set('openai', 'sk-test');
    expect(keytar.data.get('tributary/openai')).toBe('sk-test');
    expect(await store.get('openai')).toBe('sk-test');
    expect(await store.status('openai')).toEqual({ name: 'openai', set: true, source: 'keychain' });
    expect(await store.delete('openai')).toBe(true);
    expect(await store.get('openai')).toBeUndefined();
    expect(store.warning).toBeNull();
  });

  it('prefers the keychain but falls through to the environment for names it lacks', async () => {
    const store = new ResilientSecretStore({
      env: { OPENAI_API_KEY: 'from-env' },
      loadKeytar: async () => fakeKeytar(),
    });
    expect(await store.get('openai')).toBe('from-env');
    expect(await store.status('openai')).toEqual({ name: 'openai', set: true, source: 'env' });
  });

  it('falls back to environment variables with one warning when keytar is not installed', async () => {
    const warnings: string[] = [];
    const store = new ResilientSecretStore({
      env: { TRIBUTARY_SECRET_GROQ: 'g-env' },
      loadKeytar: async () => {
        throw new Error("Cannot find package 'keytar'");
      },
      onWarning: (m) => warnings.push(m),
    });
    expect(await store.get('groq')).toBe('g-env');
    expect(await store.get('groq')).toBe('g-env');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/keytar could not be loaded.*Cannot find package/);
    expect(store.describe()).toMatch(/^environment variables/);
  });

  it('falls back when the keychain rejects at run time (no D-Bus, locked collection)', async () => {
    const warnings: string[] = [];
    const store = new ResilientSecretStore({
      env: { OPENAI_API_KEY: 'env-key' },
      loadKeytar: async () => fakeKeytar({ fail: 'Cannot autolaunch D-Bus without X11 $DISPLAY' }),
      onWarning: (m) => warnings.push(m),
    });
    expect(await store.get('openai')).toBe('env-key');
    expect(store.warning).toMatch(/D-Bus/);
    expect(warnings).toHaveLength(1);
  });

  it('refuses to store a secret without a keychain and names the variable to set instead', async () => {
    const store = new ResilientSecretStore({
      env: {},
      loadKeytar: async () => fakeKeytar({ fail: 'locked' }),
    });
    const err = await store.set('my-api', 'v').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretStoreUnavailableError);
    expect((err as Error).message).toMatch(/TRIBUTARY_SECRET_MY_API/);
    expect((err as Error).message).not.toContain(': v');
  });
});

describe('the secret commands of EngineApi', () => {
  // The secret commands touch neither the DB nor the config.
  const api = new EngineApi(undefined as never, { jobs: [] } as never);

  it('never return a value: status says only whether a secret is set and where from', async () => {
    api.secrets = new ResilientSecretStore({ env: {}, loadKeytar: async () => fakeKeytar() });
    expect(await api.call('setSecret', { name: 'openai', value: 'sk-secret-value' })).toEqual({
      set: true,
      source: 'keychain',
    });
    const status = await api.call('secretStatus', {});
    expect(JSON.stringify(status)).not.toContain('sk-secret-value');
    expect(status.secrets.find((s) => s.name === 'openai')).toEqual({
      name: 'openai',
      set: true,
      source: 'keychain',
    });
    expect(status.warning).toBeNull();
    expect(await api.call('deleteSecret', { name: 'openai' })).toEqual({ deleted: true });
  });

  it('validate names with the contract schema', async () => {
    await expect(api.call('setSecret', { name: '../etc', value: 'x' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('report the keychain warning and refuse writes when only the environment is available', async () => {
    api.secrets = new ResilientSecretStore({
      env: { OPENAI_API_KEY: 'x' },
      loadKeytar: async () => {
        throw new Error('no libsecret');
      },
    });
    await expect(api.call('setSecret', { name: 'openai', value: 'y' })).rejects.toMatchObject({
      code: 'unavailable',
    });
    const status = await api.call('secretStatus', { names: ['openai'] });
    expect(status.warning).toMatch(/no libsecret/);
    expect(status.secrets).toEqual([{ name: 'openai', set: true, source: 'env' }]);
  });
});
