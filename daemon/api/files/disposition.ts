// daemon/api/files/disposition.ts — `Content-Disposition` (RFC 6266): a quoted ASCII
// fallback name (anything else as `_`) beside `filename*=UTF-8''…` holding the name
// percent-encoded (RFC 8187). A name that is not UTF-8 is sent as its UTF-8 text with
// U+FFFD for each invalid byte. Pure; used by the reader and the downloader.

const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function rfc8187(text: string): string {
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && ATTR_CHAR.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The header for a file named `name` (bytes or text); `inline` or `attachment`. */
export function contentDisposition(type: 'attachment' | 'inline', name: Buffer | string): string {
  const text = (typeof name === 'string' ? name : name.toString('utf8')) || 'download';
  const ascii = text.replace(/[^\x20-\x7e]|["\\%/]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${rfc8187(text)}`;
}

/** The last component of an absolute path (bytes). */
export function baseName(path: Buffer): Buffer {
  const slash = path.lastIndexOf(0x2f);
  return slash < 0 ? path : path.subarray(slash + 1);
}
