// A fresh ed25519 host key per card, made before the board first boots, so
// Bramble can trust it on first contact instead of asking (or worse, accepting
// blindly).
import { fingerprint, generateEd25519 } from '../ssh/ed25519';
import type { HostKey } from './card-config';

export { fingerprint };

export function generateHostKey(comment: string): HostKey {
  const pair = generateEd25519(comment);
  return { privateKey: pair.privateKey, publicKey: pair.publicKey };
}
