// When the writer needs administrator rights, and how it asks for them. The
// polkit prompt itself cannot run here (no desktop session): this checks the
// decision and the exact command line pkexec is given.
import { describe, expect, it } from 'vitest';
import { needsElevation, writerCommandLine } from '../../electron/services/flash/writer-client';

const command = { runtime: '/opt/Bramble/bramble', script: '/opt/Bramble/resources/dist/writer/writer.cjs' };

describe('writer elevation', () => {
  it('is needed only for a block device, and not when already root or on Windows', () => {
    expect(needsElevation({ image: '/x.img', targets: ['/dev/null'] }, 'linux', 1000)).toBe(false); // a character device, not a drive
    expect(needsElevation({ image: '/x.img', targets: ['/tmp/out.img'] }, 'linux', 1000)).toBe(false);
    expect(needsElevation({ image: '/x.img', targets: ['/tmp/out.img', '/dev/loop0'] }, 'linux', 1000)).toBe(true);
    expect(needsElevation({ image: '/x.img', targets: ['/dev/loop0'] }, 'linux', 0)).toBe(false);
    expect(needsElevation({ image: '/x.img', targets: ['/dev/loop0'] }, 'win32', 1000)).toBe(false);
  });

  it('goes through pkexec on Linux, passing the runtime switch through env (pkexec clears the environment)', () => {
    expect(writerCommandLine(command, false)).toEqual([command.runtime, [command.script]]);
    expect(writerCommandLine(command, true, 'linux')).toEqual(['pkexec', ['env', 'ELECTRON_RUN_AS_NODE=1', 'UV_THREADPOOL_SIZE=16', command.runtime, command.script]]);
  });

  it('says plainly what to do where automatic elevation is not available', () => {
    expect(() => writerCommandLine(command, true, 'darwin')).toThrow(/start Bramble as an administrator/);
  });
});
