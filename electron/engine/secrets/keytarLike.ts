/**
 * The part of keytar we use. keytar is an optionalDependency (it builds only where libsecret
 * exists), so it is typed here rather than imported, and loaded with a computed specifier so
 * neither tsc nor a bundler needs it to be installed.
 */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

export async function loadKeytar(): Promise<KeytarLike> {
  const specifier = 'keytar';
  const mod = (await import(/* @vite-ignore */ specifier)) as {
    default?: KeytarLike;
  } & Partial<KeytarLike>;
  const keytar = (mod.default ?? mod) as Partial<KeytarLike>;
  if (typeof keytar.getPassword !== 'function')
    throw new Error('keytar loaded but exposes no getPassword()');
  return keytar as KeytarLike;
}
