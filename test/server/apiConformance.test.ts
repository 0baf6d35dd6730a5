import { startDashboardServer } from '../../electron/server/DashboardServer.ts';
import { createHttpApiClient } from '../../electron/server/HttpApiClient.ts';
import { apiConformance } from '../helpers/apiConformance.ts';

apiConformance('direct calls', async (t) => ({ client: t.api, close: async () => undefined }));

apiConformance('HTTP', async (t) => {
  const server = await startDashboardServer({ api: t.api, bus: t.engine.bus, rendererDir: null });
  return {
    client: createHttpApiClient({ url: server.url, token: server.token }),
    close: () => server.close(),
  };
});
