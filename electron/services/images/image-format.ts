// Tells what kind of image a file is from its first bytes, not its name: a
// renamed .img.xz still decompresses, and a truncated download says so early.
import type { z } from 'zod';
import type { ImageFormatSchema } from '../../../shared/images';

export type ImageFormat = z.infer<typeof ImageFormatSchema>;

const MAGIC: { format: ImageFormat; bytes: number[] }[] = [
  { format: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { format: 'gzip', bytes: [0x1f, 0x8b] },
  { format: 'zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { format: 'bzip2', bytes: [0x42, 0x5a, 0x68] },
];

export function detectFormat(header: Uint8Array): ImageFormat {
  for (const { format, bytes } of MAGIC) {
    if (bytes.every((b, i) => header[i] === b)) return format;
  }
  return 'raw';
}

/** The extensions a user can pick in the file dialog and drop on the window. */
export const IMAGE_EXTENSIONS = ['img', 'iso', 'raw', 'bin', 'xz', 'gz', 'zip', 'bz2'];
