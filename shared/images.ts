// An image as the user picked it: what it is and how big it will be on a card.
import { z } from 'zod';

export const ImageFormatSchema = z.enum(['raw', 'xz', 'gzip', 'zip', 'bzip2']);

export const ImageInfoSchema = z.object({
  path: z.string(),
  name: z.string(),
  format: ImageFormatSchema,
  /** Bytes of the file as stored. */
  fileSize: z.number(),
  /** Bytes once decompressed; absent when the format cannot tell without decompressing (bzip2). */
  size: z.number().optional(),
  /** False when `size` is only a hint (gzip stores it modulo 4 GiB). */
  sizeIsExact: z.boolean(),
  /** A bmaptool block map beside the image (NAME.bmap). */
  bmapPath: z.string().optional(),
});
export type ImageInfo = z.infer<typeof ImageInfoSchema>;
