// Whether a target may be written, decided from a fresh drive list. The flash
// service asks before starting a job; the writer asks again just before it
// opens the device, so no UI or CLI path can get around it.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { driveVerdicts, mountpointOf, refusal, type Drive } from '../../../shared/drives';

export function refuseTarget(target: string, drives: Drive[], imagePath: string, imageSize: number | undefined, allowSystemDrive?: boolean, imageSizeExact = true): string | undefined {
  const isDevice = existsSync(target) && statSync(target).isBlockDevice();
  if (!isDevice) {
    if (path.resolve(target) === path.resolve(imagePath)) return `${target} is the image itself; choose another file to write to.`;
    if (target.startsWith('/dev/')) return `${target} is not a drive Bramble can see; it may have been removed.`;
    return undefined;
  }
  const drive = drives.find((d) => d.device === target);
  if (!drive) return `${target} is not a drive Bramble can see; it may have been removed.`;
  const verdicts = driveVerdicts(drive, { imageSize, imageSizeExact, imagePath, imageMountpoint: mountpointOf(drives, imagePath) });
  return refusal(verdicts, { allowSystemDrive });
}
