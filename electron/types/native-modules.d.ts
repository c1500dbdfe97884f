// Types for the native addons Bramble uses that ship none.
declare module '@ronomon/direct-io' {
  export function getAlignedBuffer(size: number, alignment: number): Buffer;
  export const O_DIRECT: number;
  export const O_EXCL: number;
  export const O_SYNC: number;
}

declare module 'mountutils' {
  export function unmountDisk(device: string, callback: (error?: Error | null) => void): void;
}
