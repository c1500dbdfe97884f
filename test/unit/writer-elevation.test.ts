// When the writer needs administrator rights, and how it asks for them. The
// prompts themselves (polkit, macOS's administrator dialog, Windows UAC) cannot
// run here: no desktop session, no macOS or Windows. This checks the decision
// and the exact command line each prompt is given, with hostile paths; the
// socket a prompted writer connects back to is exercised for real in
// test/integration/flash.test.ts.
import { describe, expect, it } from 'vitest';
import { declinedElevation, needsElevation, writerLaunch } from '../../electron/services/flash/writer-launch';

const command = { runtime: '/opt/Bramble/bramble', script: '/opt/Bramble/resources/dist/writer/writer.cjs' };
const JOB = 'f'.repeat(64);
const socket = { path: '/tmp/bramble-writer-x/writer.sock', token: '0123456789abcdef0123456789abcdef', jobSha256: JOB };

describe('writer elevation', () => {
  it('is needed only for a drive, and not when already root or administrator', () => {
    expect(needsElevation({ targets: ['/dev/null'] }, 'linux', 1000)).toBe(false); // a character device, not a drive
    expect(needsElevation({ targets: ['/tmp/out.img'] }, 'linux', 1000)).toBe(false);
    expect(needsElevation({ targets: ['/tmp/out.img', '/dev/loop0'] }, 'linux', 1000)).toBe(true);
    expect(needsElevation({ targets: ['/dev/loop0'] }, 'linux', 0)).toBe(false);
    expect(needsElevation({ targets: ['\\\\.\\PhysicalDrive2'] }, 'win32', undefined, () => false)).toBe(true);
    expect(needsElevation({ targets: ['\\\\.\\PhysicalDrive2'] }, 'win32', undefined, () => true)).toBe(false);
    expect(needsElevation({ targets: ['C:\\Users\\me\\out.img'] }, 'win32', undefined, () => false)).toBe(false);
  });

  it('goes through pkexec on Linux, on stdio, passing the runtime switch through env (pkexec clears the environment)', () => {
    expect(writerLaunch(command, false)).toEqual({ program: command.runtime, args: [command.script], channel: 'stdio' });
    expect(writerLaunch(command, true, 'linux')).toEqual({ program: 'pkexec', args: ['env', 'ELECTRON_RUN_AS_NODE=1', 'UV_THREADPOOL_SIZE=16', command.runtime, command.script], channel: 'stdio' });
  });

  it('asks macOS for an administrator through osascript, with every path shell-quoted inside the AppleScript string', () => {
    const odd = { runtime: "/Applications/Bramble \"β\".app/Contents/MacOS/Bramble", script: "/Applications/it's $(touch x).app/writer.cjs" };
    const launch = writerLaunch(odd, true, 'darwin', socket);
    expect(launch.program).toBe('/usr/bin/osascript');
    expect(launch.channel).toBe('socket');
    const script = launch.args[1]!;
    const m = /^do shell script "(.*)" with administrator privileges with prompt ".*"$/.exec(script);
    expect(m).not.toBeNull();
    // AppleScript unescapes \\ and \" ; what remains is the shell line.
    const shell = m![1]!.replace(/\\(["\\])/g, '$1');
    expect(shell).toBe(`ELECTRON_RUN_AS_NODE=1 UV_THREADPOOL_SIZE=16 exec '/Applications/Bramble "β".app/Contents/MacOS/Bramble' "/Applications/it's \\$(touch x).app/writer.cjs" --connect /tmp/bramble-writer-x/writer.sock --token ${socket.token} --job-sha256 ${JOB}`);
  });

  it('asks Windows through UAC (Start-Process -Verb RunAs), setting the runtime switch in cmd, and refuses paths cmd would expand', () => {
    // A user name with a typographic apostrophe: PowerShell ends '…' strings at it too.
    const win = { runtime: 'C:\\Users\\O\u2019Brien\\AppData\\Local\\Programs\\Bramble\\Bramble.exe', script: "C:\\Program Files\\Bramble\\resources\\it's\\writer.cjs" };
    const pipe = { path: '\\\\.\\pipe\\bramble-writer-abc', token: socket.token, jobSha256: JOB };
    const launch = writerLaunch(win, true, 'win32', pipe);
    expect(launch.program).toBe('powershell.exe');
    expect(launch.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    const ps = launch.args[3]!;
    const literal = /-ArgumentList '((?:[^'\u2018\u2019\u201a\u201b]|''|\u2018\u2018|\u2019\u2019|\u201a\u201a|\u201b\u201b)*)' -Verb RunAs/.exec(ps);
    expect(literal, ps).not.toBeNull();
    // What PowerShell hands cmd once it has undone the doubling:
    expect(literal![1]!.replace(/(['\u2018\u2019\u201a\u201b])\1/g, '$1')).toBe(
      `/d /v:off /s /c "set ELECTRON_RUN_AS_NODE=1&& set UV_THREADPOOL_SIZE=16&& "${win.runtime}" "${win.script}" --connect "${pipe.path}" --token ${socket.token} --job-sha256 ${JOB}"`,
    );
    expect(ps).toMatch(/NativeErrorCode -eq 1223\) \{ exit 1223 \}/);
    for (const bad of ['C:\\%TEMP%\\writer.cjs', 'C:\\x!y\\writer.cjs']) expect(() => writerLaunch({ ...win, script: bad }, true, 'win32', pipe)).toThrow(/holds ", % or !/);
  });

  it('tells a declined prompt from a crash on each platform', () => {
    expect(declinedElevation('linux', 126, '')).toBe(true);
    expect(declinedElevation('linux', 1, '')).toBe(false);
    expect(declinedElevation('darwin', 1, '0:125: execution error: User canceled. (-128)')).toBe(true);
    expect(declinedElevation('win32', 1223, 'Vorgang wurde vom Benutzer abgebrochen.')).toBe(true);
    expect(declinedElevation('win32', 1, 'Start-Process : This command cannot be run due to the error: The operation was canceled by the user.')).toBe(true);
    expect(declinedElevation('win32', 1, 'Start-Process : file not found')).toBe(false);
  });

  it('says plainly what to do where no prompt is known', () => {
    expect(() => writerLaunch(command, true, 'freebsd', socket)).toThrow(/start Bramble as an administrator/);
  });
});
