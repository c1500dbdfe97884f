// ed25519 keys in OpenSSH format, made in-process with Node's crypto: for the
// host keys Bramble puts on cards, and for the fake fleet in tests.
//
// Not ssh2's utils.generateKeyPairSync: measured here (ssh2 1.17), it drops a
// leading zero byte of the public key, so about 1 key in 256 is written with a
// 31-byte public key that sshd and ssh-keygen reject ("error in libcrypto").
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';

export interface KeyPair {
  /** OpenSSH private key ("-----BEGIN OPENSSH PRIVATE KEY-----"), unencrypted. */
  privateKey: string;
  /** `ssh-ed25519 AAAA...`, without a comment. */
  publicKey: string;
}

function sshString(b: Buffer | string): Buffer {
  const data = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

export function generateEd25519(comment = ''): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  if (pub.length !== 32 || seed.length !== 32) throw new Error('unexpected ed25519 key size');
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);

  // PROTOCOL.key: "openssh-key-v1\0", cipher/kdf none, one key, then the private
  // section (check ints, key, comment) padded 1,2,3... to the 8-byte block size.
  const check = randomBytes(4);
  let priv = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  const pad = (8 - (priv.length % 8)) % 8;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(blob),
    sshString(priv),
  ]).toString('base64');
  const lines = body.match(/.{1,70}/g) ?? [];
  return {
    privateKey: ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n'),
    publicKey: `ssh-ed25519 ${blob.toString('base64')}`,
  };
}

/** The fingerprint as OpenSSH prints it: SHA256 of the key blob, base64 without `=` padding. */
export function fingerprint(publicKey: string): string {
  const blob = publicKey.trim().split(/\s+/)[1];
  if (!blob) throw new Error(`not an OpenSSH public key: ${publicKey}`);
  return 'SHA256:' + createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '');
}
