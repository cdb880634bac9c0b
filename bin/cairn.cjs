#!/usr/bin/env node
// cairn entry (CLI and TUI). CommonJS so that it starts without the ESM loader's
// thread-pool reads racing our settings; the real code is dist/tui/main.js.
'use strict';
// undici parses HTTP with a WebAssembly build of llhttp, compiled when the first request
// goes out; V8 then optimises it again on background threads, and the process cannot exit
// until that is done: ~130-200 ms after the last byte of every command, measured here (a
// `cairn repos` took 0.45-0.55 s, 8 ms from answer to exit with the baseline compiler
// only). The baseline code parses our few small responses just as well.
require('node:v8').setFlagsFromString('--liftoff-only');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
import(pathToFileURL(path.join(__dirname, '..', 'dist', 'tui', 'main.js')).href)
  .then((m) => m.main(process.argv.slice(2)))
  .then((code) => { if (typeof code === 'number') process.exitCode = code; })
  .catch((err) => {
    process.stderr.write(`cairn: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  });
