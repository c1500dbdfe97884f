// The playbooks Bramble ships (assets/playbooks), with what the UI says about them.
import path from 'node:path';

export interface BuiltinPlaybook {
  id: string;
  file: string;
  title: string;
  description: string;
  /** Variables the user must give. */
  requiredVars: string[];
}

export const BUILTIN_PLAYBOOKS: BuiltinPlaybook[] = [
  {
    id: 'base-node',
    file: 'base-node.yml',
    title: 'Base node',
    description: 'Hostname from the inventory name, docker.io, htop and vim installed, your SSH key authorised.',
    requiredVars: ['ssh_public_key'],
  },
  {
    id: 'ssh-key-only',
    file: 'ssh-key-only.yml',
    title: 'SSH by key only',
    description: 'Turns off password logins for SSH (a drop-in in /etc/ssh/sshd_config.d) and reloads sshd.',
    requiredVars: [],
  },
];

/** Where a built-in playbook lives, given the app's assets folder. */
export function builtinPlaybookPath(assetsDir: string, id: string): string {
  const pb = BUILTIN_PLAYBOOKS.find((p) => p.id === id);
  if (!pb) throw new Error(`no built-in playbook ${id}`);
  return path.join(assetsDir, 'playbooks', pb.file);
}
