#!/usr/bin/env node
// cairnd entry. CommonJS on purpose: libuv sizes its thread pool when the pool first
// starts, and on Node 20 the ESM loader already uses the pool to read the entry module,
// so UV_THREADPOOL_SIZE must be set here, before any import (DESIGN §6).
'use strict';
if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = '48';
const path = require('node:path');
const { pathToFileURL } = require('node:url');
import(pathToFileURL(path.join(__dirname, '..', 'dist', 'daemon', 'main.js')).href)
  .then((m) => m.main(process.argv.slice(2)))
  .catch((err) => {
    process.stderr.write(`cairnd: ${err && err.message ? err.message : String(err)}\n`);
    process.exit(1);
  });
