// Interactive shells for the Node panel's terminal: an ssh2 shell channel with a
// pty per session, over the node's existing connection, bytes relayed as events.
import { randomUUID } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import type { Emit } from '../event-hub';
import { UserError } from '../user-error';
import type { FleetService } from './fleet-service';

export class TerminalSessions {
  private readonly sessions = new Map<string, ClientChannel>();

  constructor(
    private readonly fleet: FleetService,
    private readonly emit: Emit,
  ) {}

  async open(node: string, cols: number, rows: number): Promise<string> {
    const c = this.fleet.connection(node);
    if (!c) throw new UserError(`There is no node called ${node} in the fleet.`);
    if (!c.online) throw new UserError(`${node} is ${c.status}; a terminal needs it online.`);
    const channel = await c.shell({ cols, rows });
    const id = randomUUID();
    this.sessions.set(id, channel);
    // Decode as a stream so a UTF-8 character split across packets is not mangled.
    channel.setEncoding('utf8');
    channel.stderr.setEncoding('utf8');
    channel.on('data', (data: string) => this.emit('terminal:data', { id, data }));
    channel.stderr.on('data', (data: string) => this.emit('terminal:data', { id, data }));
    channel.on('error', () => {});
    let exitReason = 'the connection to the node closed';
    channel.on('exit', (code: number | null, signal?: string) => {
      exitReason = code !== null && code !== undefined ? `the shell exited with status ${code}` : `the shell was killed (${signal ?? 'signal'})`;
    });
    channel.on('close', () => {
      this.sessions.delete(id);
      this.emit('terminal:exit', { id, reason: exitReason });
    });
    return id;
  }

  input(id: string, data: string): void {
    this.session(id).write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    // ssh2 takes rows first, then columns.
    this.session(id).setWindow(rows, cols, 0, 0);
  }

  close(id: string): void {
    this.sessions.get(id)?.close();
  }

  closeAll(): void {
    for (const ch of this.sessions.values()) ch.close();
  }

  private session(id: string): ClientChannel {
    const ch = this.sessions.get(id);
    if (!ch) throw new UserError('That terminal session has ended.');
    return ch;
  }
}
