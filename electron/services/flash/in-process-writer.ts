// Runs a write job in the calling process, for the CLI when no elevation is
// needed (running as root, or writing image files): the same job code and the
// same safety checks as the writer process, without its start-up. The drive
// list the service checked moments ago in this same process stands as the
// last-moment list (re-listing costs an lsblk); the device number is still
// checked on the open handle.
// The app never uses this: its main process must not load the flashing code.
import { runJob } from './writer/run-job';
import type { WriteJob } from './writer/protocol';
import type { StartWriter } from './flash-service';

export const startInProcessWriter: StartWriter = (job: WriteJob, options) => {
  const abort = new AbortController();
  return {
    pid: process.pid,
    cancel: () => abort.abort(),
    result: runJob(job, { signal: abort.signal, onProgress: (t) => options.onProgress?.(t), listDrives: options.checkedDrives ? () => Promise.resolve(options.checkedDrives!) : undefined }),
  };
};
