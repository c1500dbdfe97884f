// The fleet's keys come from the app's own ed25519 generator (see there why
// ssh2's is not used).
export { fingerprint, generateEd25519, type KeyPair } from '../../electron/services/ssh/ed25519';
