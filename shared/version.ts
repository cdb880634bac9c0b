// shared/version.ts — cairn's version, read once from package.json (the daemon reports it
// in /api/info and /api/health; the client prints it).
import { readFileSync } from 'node:fs';

function readVersion(): string {
  // Compiled to <repo>/dist/shared/version.js; package.json is at <repo>/.
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const CAIRN_VERSION: string = readVersion();
