// Preload (sandboxed, context-isolated): exposes `window.tributary` and turns drops on the
// window into add-URL requests. Built as CommonJS: sandboxed preloads cannot be ESM.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNELS } from '../main/channels.ts';
import { createBridge, methodsFromArgv } from './bridge.ts';
import { collectDropPayload, type DataTransferLike } from './collectDrop.ts';

const bridge = createBridge(ipcRenderer, methodsFromArgv(process.argv));
contextBridge.exposeInMainWorld('tributary', bridge);

/** DOM pieces used below, typed structurally (this file is type-checked without the DOM lib). */
interface DragEventLike {
  preventDefault(): void;
  readonly dataTransfer: DataTransferLike | null;
  readonly defaultPrevented: boolean;
}
const win = globalThis as unknown as {
  addEventListener(type: string, listener: (e: DragEventLike) => void): void;
  location: { hash: string };
};

// Without preventDefault on dragover the drop event never fires.
win.addEventListener('dragover', (e) => e.preventDefault());
win.addEventListener('drop', (e) => {
  if (!e.dataTransfer) return;
  // The data is readable only during dispatch: collect it now, decide after the page's own
  // listeners ran — a dashboard component that handled the drop (preventDefault) wins.
  // (Dropped files never navigate the window: navigateOnDragDrop is false.)
  const payload = collectDropPayload(e.dataTransfer, (f) => webUtils.getPathForFile(f as File));
  setTimeout(() => {
    if (!e.defaultPrevented) void bridge.drop(payload);
  }, 0);
});

// Notification clicks and tray entries open a hash route; routers listening to hashchange
// follow it without knowing about Electron.
ipcRenderer.on(CHANNELS.navigate, (_event, route: unknown) => {
  if (typeof route === 'string' && route.startsWith('#')) win.location.hash = route.slice(1);
});
