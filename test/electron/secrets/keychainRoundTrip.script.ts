// Run inside a D-Bus session with an unlocked gnome-keyring (see keychainRoundTrip.test.ts):
// sets, reads, lists and deletes one secret through the real keytar, then prints a JSON report.
import { ResilientSecretStore } from '../../../electron/engine/secrets/ResilientSecretStore.ts';

const warnings: string[] = [];
const store = new ResilientSecretStore({
  env: {},
  service: 'tributary-test',
  onWarning: (m) => warnings.push(m),
});
const name = `roundtrip-${process.pid}`;
await store.set(name, 'value-123');
const got = await store.get(name);
const status = await store.status(name);
const names = await store.names();
const deleted = await store.delete(name);
const afterDelete = await store.get(name);
process.stdout.write(
  `${JSON.stringify({ got, status, listed: names.includes(name), deleted, afterDelete: afterDelete ?? null, warnings })}\n`,
);
