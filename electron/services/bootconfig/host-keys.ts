// A fresh ed25519 host key per card, made before the board first boots, so
// Bramble can trust it on first contact instead of asking (or worse, accepting
// blindly). Also the fingerprint as OpenSSH prints it.
import { createHash } from 'node:crypto';
import { utils } from 'ssh2';
import type { HostKey } from './card-config';

export function generateHostKey(comment: string): HostKey {
  const pair = utils.generateKeyPairSync('ed25519', { comment });
  return { privateKey: pair.private, publicKey: pair.public.trim() };
}

/** `SHA256:` + base64(sha256(key blob)) without padding, as `ssh-keygen -lf` shows it. */
export function fingerprint(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
