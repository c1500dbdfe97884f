// How the writer process is started, and whether it must be elevated. On
// Linux, pkexec keeps the child's stdio, so JSON lines go over stdin/stdout. On
// macOS (osascript's administrator prompt) and Windows (UAC through
// Start-Process -Verb RunAs) the elevated process is not our child's stdio, so
// it connects back to a socket (a Unix socket in a private folder, or a named
// pipe) and proves itself with a one-time token.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { quote } from 'shell-quote';
import { UserError } from '../user-error';

export interface WriterCommand {
  /** The program that runs JavaScript: node, or the Electron binary with ELECTRON_RUN_AS_NODE. */
  runtime: string;
  script: string;
}

export interface WriterLaunch {
  program: string;
  args: string[];
  /** Where the JSON lines go: the child's stdio, or a socket the writer connects back to. */
  channel: 'stdio' | 'socket';
}

export interface SocketEnd {
  path: string;
  /** The writer's proof to the app: it says this token in its `ready`. */
  token: string;
  /** The app's proof to the writer: the only job (its SHA-256) the writer will run. */
  jobSha256: string;
}

const WINDOWS_DRIVE = /^\\\\\.\\PhysicalDrive\d+$/i;

export function needsElevation(job: { targets: string[]; image?: string }, platform = process.platform, uid = process.getuid?.() ?? 0, isWindowsAdmin = windowsAdmin): boolean {
  if (platform === 'win32') return job.targets.some((t) => WINDOWS_DRIVE.test(t)) && !isWindowsAdmin();
  if (uid === 0) return false;
  return job.targets.some((t) => {
    if (!existsSync(t)) return false;
    const st = statSync(t);
    // macOS writes the raw character device (/dev/rdiskN) of a disk.
    return st.isBlockDevice() || (platform === 'darwin' && st.isCharacterDevice() && /^\/dev\/r?disk\d+$/.test(t));
  });
}

/** `net session` succeeds only in an elevated shell: the usual test without a native addon. */
function windowsAdmin(): boolean {
  return spawnSync('net', ['session'], { stdio: 'ignore', windowsHide: true }).status === 0;
}

/**
 * The program and arguments that start the writer. `socket` is where an
 * elevated writer on macOS or Windows connects back to; given without
 * elevation (tests), the writer is started directly but still talks over it.
 */
export function writerLaunch(command: WriterCommand, elevate: boolean, platform = process.platform, socket?: SocketEnd): WriterLaunch {
  const back = socket ? ['--connect', socket.path, '--token', socket.token, '--job-sha256', socket.jobSha256] : [];
  if (!elevate) return { program: command.runtime, args: [command.script, ...back], channel: socket ? 'socket' : 'stdio' };
  if (platform === 'linux') {
    // pkexec clears the environment, hence `env`.
    return { program: 'pkexec', args: ['env', 'ELECTRON_RUN_AS_NODE=1', 'UV_THREADPOOL_SIZE=16', command.runtime, command.script], channel: 'stdio' };
  }
  if (!socket) throw new Error('an elevated writer on this platform needs a socket to connect back to');
  if (platform === 'darwin') {
    const line = `ELECTRON_RUN_AS_NODE=1 UV_THREADPOOL_SIZE=16 exec ${quote([command.runtime, command.script, ...back])}`;
    const applescript = `do shell script "${line.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}" with administrator privileges with prompt "Bramble needs administrator rights to write SD cards."`;
    return { program: '/usr/bin/osascript', args: ['-e', applescript], channel: 'socket' };
  }
  if (platform === 'win32') {
    // UAC starts the elevated process with a fresh environment, so cmd sets the
    // runtime switch; cmd expands %...% even inside quotes, so such paths are refused.
    const parts = [command.runtime, command.script, socket.path];
    if (parts.some((p) => /["%!\r\n]/.test(p)) || !/^[0-9a-f]+$/.test(socket.token) || !/^[0-9a-f]{64}$/.test(socket.jobSha256)) {
      throw new UserError('Bramble is installed in a folder whose name Windows cannot pass to an elevated program (it holds ", % or !); move it, or start Bramble as an administrator.');
    }
    // /v:off: no !delayed! expansion whatever the registry says.
    const cmdLine = `/d /v:off /s /c "set ELECTRON_RUN_AS_NODE=1&& set UV_THREADPOOL_SIZE=16&& "${command.runtime}" "${command.script}" --connect "${socket.path}" --token ${socket.token} --job-sha256 ${socket.jobSha256}"`;
    // PowerShell ends a single-quoted string at any of its five single quotes; each is doubled.
    const literal = `'${cmdLine.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
    // A declined UAC prompt is Win32 error 1223 (ERROR_CANCELLED), whatever the display language.
    const ps = [
      'try {',
      `Start-Process -FilePath $env:ComSpec -ArgumentList ${literal} -Verb RunAs -WindowStyle Hidden -Wait -ErrorAction Stop`,
      '} catch {',
      'if ($_.Exception.NativeErrorCode -eq 1223 -or $_.Exception.InnerException.NativeErrorCode -eq 1223) { exit 1223 }',
      '[Console]::Error.WriteLine($_.Exception.Message); exit 1',
      '}',
    ].join(' ');
    return { program: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', ps], channel: 'socket' };
  }
  throw new UserError('Writing drives needs administrator rights: start Bramble as an administrator on this system.');
}

/** The launcher's way of saying the user declined the prompt. */
export function declinedElevation(platform: NodeJS.Platform, code: number | null, stderr: string): boolean {
  if (platform === 'linux') return code === 126 || code === 127;
  if (platform === 'darwin') return /User canceled|\(-128\)/i.test(stderr);
  if (platform === 'win32') return code === 1223 || /canceled by the user|cancelled by the user/i.test(stderr);
  return false;
}
