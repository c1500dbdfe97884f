// The Electron main process: app lifecycle, the one window, the app:// protocol
// that serves the renderer, and the wiring of IPC to the services. Every
// security-relevant switch is set explicitly here (see README, Security).
import { app, BrowserWindow, dialog, ipcMain, Notification, protocol, session } from 'electron';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { forwardEvent, registerIpc } from './ipc';
import { createHandlers } from './handlers';
import { contentTypeFor, resolveRendererFile } from './renderer-files';
import { SECURITY_HEADERS } from './security-policy';
import { APP_ENTRY_URL, APP_HOST, APP_SCHEME, isSameFrame, isTrustedSender } from './sender-check';
import { resolveDataDir } from './services/app/data-dir';
import { createServices, type Services } from './services';
import { SafeStorageSecrets } from './safe-storage-secrets';
import { IMAGE_EXTENSIONS } from './services/images/image-format';
import type { EventPayloadOf } from '../shared/contract';

const rendererDir = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, 'preload.cjs');

// One data folder for app and CLI, set before anything reads userData.
app.setPath('userData', resolveDataDir());

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

let mainWindow: BrowserWindow | undefined;
let services: Services | undefined;

function serveRenderer(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === APP_HOST ? resolveRendererFile(rendererDir, url.pathname) : undefined;
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, { headers: { 'Content-Type': contentTypeFor(file), ...SECURITY_HEADERS } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

function lockDownSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Bramble',
    backgroundColor: '#14171a',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise open links in new windows, bypassing the open handler.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

app.whenReady().then(() => {
  services = createServices({ dataDir: app.getPath('userData'), transport: 'electron', watchDrives: true, connectFleet: true, secrets: new SafeStorageSecrets(app.getPath('userData')) });
  serveRenderer();
  lockDownSessions();
  mainWindow = createWindow();
  const win = mainWindow;
  const pickImage = async () => {
    const result = await dialog.showOpenDialog(win, {
      title: 'Choose a Raspberry Pi OS image',
      properties: ['openFile'],
      filters: [{ name: 'Disk images', extensions: IMAGE_EXTENSIONS }, { name: 'All files', extensions: ['*'] }],
    });
    return result.canceled ? undefined : result.filePaths[0];
  };
  const pickPlaybook = async () => {
    const result = await dialog.showOpenDialog(win, {
      title: 'Choose an Ansible playbook',
      properties: ['openFile'],
      filters: [{ name: 'Playbooks', extensions: ['yml', 'yaml'] }, { name: 'All files', extensions: ['*'] }],
    });
    return result.canceled ? undefined : result.filePaths[0];
  };
  registerIpc(ipcMain, createHandlers(services, { pickImage, pickPlaybook }), {
    // Only the top frame of our own window, showing our own page.
    isTrusted: (frame) => isTrustedSender(frame) && isSameFrame(frame, win.webContents.mainFrame),
    logError: (channel, error) => console.error(`[ipc] ${channel}:`, error),
  });
  services.hub.subscribe((event, payload) => forwardEvent(win.webContents, event, payload));
  const live = services;
  services.hub.subscribe((event, payload) => {
    if (event !== 'power:alert' || !live.settings.get().notifications || !Notification.isSupported()) return;
    const { event: what, alert } = payload as EventPayloadOf<'power:alert'>;
    if (what === 'raised') new Notification({ title: `${alert.node}: ${alert.title}`, body: alert.message, urgency: alert.severity === 'critical' ? 'critical' : 'normal' }).show();
  });
});

app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

app.on('window-all-closed', () => app.quit());

app.on('will-quit', () => {
  void services?.dispose();
});
