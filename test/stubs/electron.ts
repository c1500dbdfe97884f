// Stands in for the `electron` module in tests: the Electron binary cannot be
// downloaded on these machines, so nothing here may start it. Tests that need
// ipcMain/ipcRenderer behaviour build their own fakes (test/support/fake-ipc.ts).
export const app = {
  getVersion: () => '0.0.0-test',
  getPath: () => '/nonexistent',
};
export default { app };
