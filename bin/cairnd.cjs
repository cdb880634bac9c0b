#!/usr/bin/env -S node --max-semi-space-size=4
// The V8 flags on the line above are the ones cairnd runs with (npm start and the bench
// read them from there): young-generation semispaces of 4 MiB instead of up to 16 keep
// ~40 MiB less resident, for scavenges that stay cheap (most young objects die).
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
