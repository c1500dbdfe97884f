// Whether a target may be written, decided from a fresh drive list. The flash
// service asks before starting a job; the writer asks again just before it
// opens the device, so no UI or CLI path can get around it.
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { driveVerdicts, mountpointOf, refusal, type Drive } from '../../../shared/drives';

/**
 * `allowSystemDrives` names the system drives the user confirmed one by one;
 * a flag for "any" would let a confused or compromised caller aim at another.
 */
export function refuseTarget(target: string, drives: Drive[], imagePath: string, imageSize: number | undefined, allowSystemDrives?: readonly string[], imageSizeExact = true): string | undefined {
  const isDevice = existsSync(target) && statSync(target).isBlockDevice();
  if (!isDevice) return refuseFileTarget(target, imagePath);
  const drive = drives.find((d) => d.device === target);
  if (!drive) return `${target} is not a drive Bramble can see; it may have been removed.`;
  const verdicts = driveVerdicts(drive, { imageSize, imageSizeExact, imagePath, imageMountpoint: mountpointOf(drives, imagePath) });
  return refusal(verdicts, { allowSystemDrive: allowSystemDrives?.includes(target) ?? false });
}

/**
 * Writing to a file is for making a card image, never for overwriting other
 * files (the writer may run as root): only a new or existing regular `.img`
 * file, not through a symlink, and not the source image.
 */
function refuseFileTarget(target: string, imagePath: string): string | undefined {
  if (target.startsWith('/dev/')) return `${target} is not a drive Bramble can see; it may have been removed.`;
  if (path.resolve(target) === path.resolve(imagePath)) return `${target} is the image itself; choose another file to write to.`;
  if (!/\.img$/i.test(target)) return `${target} is neither a drive nor a .img file; Bramble writes images only to drives and .img files.`;
  let st;
  try {
    st = lstatSync(target);
  } catch {
    return existsSync(path.dirname(path.resolve(target))) ? undefined : `The folder of ${target} does not exist.`;
  }
  if (st.isSymbolicLink() || !st.isFile()) return `${target} is not a regular file; Bramble will not write through links or to special files.`;
  return undefined;
}

/** The image's real location (links resolved), so the card it lives on is recognised. */
export function realImagePath(imagePath: string): string {
  try {
    return realpathSync(imagePath);
  } catch {
    return imagePath;
  }
}
