#!/usr/bin/env node
// cairn entry (CLI and TUI). CommonJS so that it starts without the ESM loader's
// thread-pool reads racing our settings; the real code is dist/tui/main.js.
'use strict';
const path = require('node:path');
const { pathToFileURL } = require('node:url');
import(pathToFileURL(path.join(__dirname, '..', 'dist', 'tui', 'main.js')).href)
  .then((m) => m.main(process.argv.slice(2)))
  .then((code) => { if (typeof code === 'number') process.exitCode = code; })
  .catch((err) => {
    process.stderr.write(`cairn: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  });
