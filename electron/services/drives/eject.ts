// Makes a written card safe to pull: unmounts whatever the OS mounted after
// the write, then asks the OS to eject it (udisksctl power-off or eject on
// Linux, diskutil on macOS). Loop devices and readers without an eject just
// end unmounted.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { requireNative } from '../native';
import { UserError } from '../user-error';

const run = promisify(execFile);

export async function ejectDrive(device: string, platform = process.platform): Promise<string> {
  if (!/^(\/dev\/[\w./-]+|\\\\\.\\PhysicalDrive\d+)$/.test(device)) throw new UserError(`${device} is not a drive path.`);
  if (platform !== 'win32') {
    const mountutils = requireNative('mountutils') as typeof import('mountutils');
    await promisify(mountutils.unmountDisk)(device).catch((error: Error) => {
      throw new UserError(`Bramble could not unmount ${device} (${error.message}); close any window using the card and try again.`);
    });
  }
  if (platform === 'darwin') {
    await run('diskutil', ['eject', device]).catch(() => {});
    return `${device} was ejected; you can remove the card.`;
  }
  if (platform === 'linux' && !/\/dev\/loop\d+$/.test(device)) {
    for (const [cmd, args] of [['udisksctl', ['power-off', '-b', device]], ['eject', [device]]] as const) {
      try {
        await run(cmd, [...args]);
        return `${device} was ejected; you can remove the card.`;
      } catch {
        // try the next way, or settle for unmounted
      }
    }
  }
  return `${device} is unmounted; you can remove the card.`;
}
