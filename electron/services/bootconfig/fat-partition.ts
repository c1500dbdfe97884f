// Reads and writes files in the FAT boot partition of an image file or a card,
// without mounting, through ChaN's FatFs (js-fatfs, WebAssembly). FatFs keeps
// both FAT copies and FSInfo right, so `fsck.vfat -n` stays clean, which the
// obvious JavaScript FAT library does not manage (see FACTS.md).
import { closeSync, fsyncSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import * as FatFs from 'js-fatfs';
import { requireNative } from '../native';
import { UserError } from '../user-error';

const SECTOR = 512;

/** The FatFs WebAssembly, read from the package so bundled code finds it too. */
let wasm: Uint8Array | undefined;
function fatfsWasm(): Uint8Array {
  wasm ??= readFileSync(path.join(path.dirname(requireNative.resolve('js-fatfs')), 'fatfs.wasm'));
  return wasm;
}
const FAT_TYPES = new Set([0x01, 0x04, 0x06, 0x0b, 0x0c, 0x0e]);

export interface PartitionLocation {
  offset: number;
  size: number;
}

/** The first FAT partition of an MBR disk (where Raspberry Pi OS keeps its boot files). */
export function findBootPartition(path: string): PartitionLocation {
  const fd = openSync(path, 'r');
  try {
    const mbr = Buffer.alloc(SECTOR);
    readSync(fd, mbr, 0, SECTOR, 0);
    if (mbr.readUInt16LE(510) !== 0xaa55) throw new UserError(`${path} has no partition table; was the image written?`);
    for (let i = 0; i < 4; i++) {
      const entry = mbr.subarray(446 + i * 16, 462 + i * 16);
      if (FAT_TYPES.has(entry[4]!)) return { offset: entry.readUInt32LE(8) * SECTOR, size: entry.readUInt32LE(12) * SECTOR };
    }
    throw new UserError(`${path} has no FAT boot partition; is it a Raspberry Pi OS image?`);
  } finally {
    closeSync(fd);
  }
}

const RESULT_NAMES: Record<number, string> = { 1: 'disk error', 2: 'internal error', 4: 'no such file', 5: 'no such path', 7: 'access denied', 8: 'already exists', 13: 'not a FAT volume', 3: 'not ready' };

export class FatPartition {
  private constructor(
    private readonly ff: FatFs.FatFs,
    private readonly fd: number,
    private readonly fatfs: number,
    readonly where: string,
  ) {}

  static async open(path: string, part: PartitionLocation = findBootPartition(path)): Promise<FatPartition> {
    const fd = openSync(path, 'r+');
    const sectors = Math.floor(part.size / SECTOR);
    const diskio: FatFs.DiskIO = {
      initialize: () => 0,
      status: () => 0,
      read(ff, _pdrv, buff, sector, count) {
        const data = Buffer.alloc(count * SECTOR);
        readSync(fd, data, 0, data.length, part.offset + sector * SECTOR);
        ff.HEAPU8.set(data, buff);
        return FatFs.RES_OK;
      },
      write(ff, _pdrv, buff, sector, count) {
        const data = ff.HEAPU8.subarray(buff, buff + count * SECTOR);
        writeSync(fd, data, 0, data.length, part.offset + sector * SECTOR);
        return FatFs.RES_OK;
      },
      ioctl(ff, _pdrv, cmd, buff) {
        if (cmd === FatFs.CTRL_SYNC) {
          fsyncSync(fd);
          return FatFs.RES_OK;
        }
        if (cmd === FatFs.GET_SECTOR_COUNT) ff.setValue(buff, sectors, 'i32');
        else if (cmd === FatFs.GET_SECTOR_SIZE) ff.setValue(buff, SECTOR, 'i16');
        else if (cmd === FatFs.GET_BLOCK_SIZE) ff.setValue(buff, 1, 'i32');
        else return FatFs.RES_PARERR;
        return FatFs.RES_OK;
      },
    };
    // wasmBinary is passed through to the Emscripten module, though the typings do not list it.
    const options: FatFs.FatFsOptions & { wasmBinary: Uint8Array } = { diskio, wasmBinary: fatfsWasm() };
    const ff = await FatFs.create(options);
    const fatfs = ff.malloc(FatFs.sizeof_FATFS);
    const where = `the boot partition of ${path}`;
    const r = ff.f_mount(fatfs, '', 1);
    if (r !== FatFs.FR_OK) {
      ff.free(fatfs);
      closeSync(fd);
      throw new UserError(`Bramble cannot read ${where} (${RESULT_NAMES[r] ?? `FatFs error ${r}`}).`);
    }
    return new FatPartition(ff, fd, fatfs, where);
  }

  /** The file's bytes, or undefined when it does not exist (names match case-insensitively, as FAT does). */
  readFile(name: string): Buffer | undefined {
    const { ff } = this;
    const fil = ff.malloc(FatFs.sizeof_FIL);
    try {
      const r = ff.f_open(fil, name, FatFs.FA_READ);
      if (r === FatFs.FR_NO_FILE) return undefined;
      this.check(r, `open ${name}`);
      const chunks: Buffer[] = [];
      const buf = ff.malloc(65536);
      const br = ff.malloc(4);
      try {
        for (;;) {
          this.check(ff.f_read(fil, buf, 65536, br), `read ${name}`);
          const n = ff.getValue(br, 'i32');
          if (n === 0) break;
          chunks.push(Buffer.from(ff.HEAPU8.subarray(buf, buf + n)));
        }
      } finally {
        ff.free(buf);
        ff.free(br);
        this.check(ff.f_close(fil), `close ${name}`);
      }
      return Buffer.concat(chunks);
    } finally {
      ff.free(fil);
    }
  }

  writeFile(name: string, content: string | Buffer): void {
    const { ff } = this;
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const fil = ff.malloc(FatFs.sizeof_FIL);
    const buf = ff.malloc(Math.max(1, data.length));
    const bw = ff.malloc(4);
    try {
      this.check(ff.f_open(fil, name, FatFs.FA_WRITE | FatFs.FA_CREATE_ALWAYS), `create ${name}`);
      try {
        ff.HEAPU8.set(data, buf);
        if (data.length > 0) this.check(ff.f_write(fil, buf, data.length, bw), `write ${name}`);
        if (ff.getValue(bw, 'i32') !== data.length && data.length > 0) throw new UserError(`${this.where} is full: ${name} could not be written whole.`);
      } finally {
        this.check(ff.f_close(fil), `close ${name}`);
      }
    } finally {
      ff.free(bw);
      ff.free(buf);
      ff.free(fil);
    }
  }

  removeFile(name: string): void {
    const r = this.ff.f_unlink(name);
    if (r !== FatFs.FR_NO_FILE) this.check(r, `remove ${name}`);
  }

  close(): void {
    this.ff.f_unmount('');
    this.ff.free(this.fatfs);
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private check(result: number, what: string): void {
    if (result !== FatFs.FR_OK) throw new UserError(`Bramble could not ${what} on ${this.where} (${RESULT_NAMES[result] ?? `FatFs error ${result}`}).`);
  }
}
