import type { ApiClient } from '../engine/api/contract.ts';
import type { TrayAction } from './trayModel.ts';

export interface TrayActionDeps {
  api: Pick<ApiClient, 'overview' | 'pause' | 'resume'>;
  showWindow(route?: string): void;
  addFromClipboard(): Promise<void>;
  quit(): void;
  jobRoute(jobId: string): string;
}

export const TRAY_PAUSE_REASON = 'paused from the tray';

/** What each tray menu entry does, through EngineApi only (one implementation of "pause"). */
export async function runTrayAction(action: TrayAction, deps: TrayActionDeps): Promise<void> {
  switch (action.type) {
    case 'open':
      return deps.showWindow();
    case 'openJob':
      return deps.showWindow(deps.jobRoute(action.jobId));
    case 'pauseJob':
      await deps.api.pause({ jobId: action.jobId, reason: TRAY_PAUSE_REASON });
      return;
    case 'resumeJob':
      await deps.api.resume({ jobId: action.jobId });
      return;
    case 'pauseAll': {
      const { jobs } = await deps.api.overview({});
      for (const j of jobs.filter((j) => !j.paused && !j.orphaned))
        await deps.api.pause({ jobId: j.id, reason: TRAY_PAUSE_REASON });
      return;
    }
    case 'resumeAll': {
      const { jobs } = await deps.api.overview({});
      for (const j of jobs.filter((j) => j.paused && !j.orphaned))
        await deps.api.resume({ jobId: j.id });
      return;
    }
    case 'addFromClipboard':
      return deps.addFromClipboard();
    case 'quit':
      return deps.quit();
  }
}
