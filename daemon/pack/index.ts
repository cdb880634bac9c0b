// daemon/pack — the pack file (DESIGN §3 "Pack"): the format as pure functions, a writer
// over a storage upload and a reader over ranged gets.
// Writing: PackWriter.create → nextUnitIndex → sealUnit (in a worker) → addSealed → finish
// (trailer + footer, committed as packs/<xx>/<SHA-256>).
// Reading: readTrailer (footer → trailer → header, authenticated) → readUnit → openUnitBytes
// (authenticate, decompress, check length). verifyPackHash for `check --read-data`.
// Called by repository/ (packer, reads), workers/ (sealUnit, openUnitBytes), reconcile and check.

export {
  PACK_MAGIC, END_MAGIC, PACK_VERSION, HEADER_SIZE, FOOTER_SIZE, SALT_SIZE, ID_SIZE, TRAILER_ALIGN, MAX_UNITS,
  UnitKind, Codec, damagedPack, packName, packIdFromName, encodeHeader, parseHeader, unitNonce, unitAad,
  sealUnit, openUnit, encodeFooter, parseFooter, checkFooterHash,
  type PackKind, type GroupMember, type UnitEntry, type PackEntry,
} from './format.js';
export {
  trailerPadLength, encodeTrailer, sealTrailer, decodeTrailer, openTrailer, checkLayout, type Trailer,
} from './trailer.js';
export { PackWriter, type PackWriterOptions, type FinishedPack } from './writer.js';
export { readTrailer, readUnit, openUnitBytes, openUnitInto, verifyPackHash, type PackTrailer } from './reader.js';
