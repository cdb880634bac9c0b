// daemon/crypto — cairn's cryptography, pure functions over node:crypto (DESIGN §3 "Keys"
// and "Bytes"). Pipeline: passphrase → unlockKeyFile → master secret → deriveSubkeys →
// {enc → packKey per pack salt → seal/open of units (pack/); id → hmacId; meta →
// seal/openSnapshot; cfg → encode/decodeConfig; gear → gearTable (chunking)}.
// Called by pack/ (units, trailers), repository/ (open, config, snapshots, ids) and workers/.

export { deriveSubkeys, hkdfExpand, gearTable, hmacId, packKey, type Subkeys } from './subkeys.js';
export { seal, open, isAuthError, AuthError, TAG_SIZE, NONCE_SIZE, KEY_SIZE } from './aead.js';
export {
  createKeyFile, unlockKeyFile, kdfParamsFromEnv, type KdfParams, type KeyFileOptions,
} from './key-file.js';
export {
  encodeConfig, decodeConfig, defaultConfigBody, makeMask, type RepoConfig, type ChunkerConfig,
} from './repo-config.js';
export { sealSnapshot, openSnapshot, type SealSnapshotOptions } from './snapshot-object.js';
