import { secretRef } from '../secrets/SecretStore.ts';

/**
 * Every secret name a config refers to (`api_key: secret:openai`, a header
 * `Authorization: secret:github`), each with the first field path that names it.
 */
export function secretRefs(config: unknown): { name: string; path: string }[] {
  const found = new Map<string, string>();
  const walk = (v: unknown, path: string) => {
    if (typeof v === 'string') {
      const name = secretRef(v);
      if (name && !found.has(name)) found.set(name, path);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(config, '');
  return [...found].map(([name, path]) => ({ name, path }));
}
