// tui/client/undici-core.ts — the three pieces of undici the client uses (Agent, its
// promise `request`, RequestAbortedError), loaded from their own files rather than through
// undici's index, which also loads fetch, WebSocket, mocks, caches and proxies: ~110 ms of
// every `cairn` run here against ~55 for these. undici has no "exports" map, so its lib/
// files are its published layout; package-lock.json pins the version, and
// test/tui/client/undici-core.test.ts checks these are the very objects the index exports.
import { createRequire } from 'node:module';
import type { Agent as AgentClass, Dispatcher, errors } from 'undici';

const require = createRequire(import.meta.url);

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof AgentClass;

/** Dispatcher.prototype.request as undici's index installs it: call it with the agent as `this`. */
export const request = require('undici/lib/api/api-request.js') as
  (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

export const { RequestAbortedError } = require('undici/lib/core/errors.js') as typeof errors;
