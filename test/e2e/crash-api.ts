// test/e2e/crash-api.ts — the few API calls of the crash test, typed, over curlSock: each
// returns the HTTP status with the parsed body, and the test asserts on both.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { curlSock, type Cairnd } from '../helpers/cairnd.js';

type D = Pick<Cairnd, 'socket'>;

export interface Answer<T> { status: number; json: T; text: string }

export interface JobJson { id: string; status: string; result: unknown; error: { code: string; message: string } | null }
export interface BackupJson { snapshot_id: string; summary: { size: number; stored_size: number; duration_ms: number; errors: number } }
export interface CheckJson { status: string; checked_packs: number; checked_snapshots: number; read_bytes: number; errors: unknown[]; notes: string[] }
export interface SnapshotJson { id: string; status: string }

async function call<T>(d: D, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer<T>> {
  const args = method === 'POST' ? ['-XPOST', '-H', 'content-type: application/json', '-d', JSON.stringify(body ?? {})] : [];
  const r = await curlSock(d, [...args, path]);
  return { status: r.status, json: r.json as T, text: r.stdout.slice(0, 2000) };
}

/** Starts a backup job and answers at once (202 {job}). */
export const startBackup = (d: D, src: string): Promise<Answer<{ job: JobJson }>> =>
  call(d, 'POST', '/api/snapshots/create?async=true', { source: [src] });

/** A backup that the call waits for. */
export const runBackup = (d: D, src: string): Promise<Answer<BackupJson>> =>
  call(d, 'POST', '/api/snapshots/create', { source: [src] });

/** Waits for a job's end (or 30 s); status 0 when the daemon died during the wait. */
export const waitJob = (d: D, id: string): Promise<Answer<JobJson>> => call(d, 'GET', `/api/jobs/${id}/wait?timeout=30`);

export const getJob = (d: D, id: string): Promise<Answer<JobJson>> => call(d, 'GET', `/api/jobs/${id}`);

export const checkReadData = (d: D): Promise<Answer<CheckJson>> => call(d, 'POST', '/api/repository/check', { read_data: true });

export const listSnapshots = (d: D): Promise<Answer<{ total: number; items: SnapshotJson[] }>> =>
  call(d, 'GET', '/api/repository/snapshots?limit=1000');

export const restore = (d: D, id: string, destination: string): Promise<Answer<{ restored_files: number; errors: unknown[] }>> =>
  call(d, 'POST', `/api/snapshots/${id}/restore`, { destination });

/** The pack files of a local repository: name → size. */
export function packFiles(repo: string): Map<string, number> {
  const out = new Map<string, number>();
  const root = join(repo, 'packs');
  if (!existsSync(root)) return out;
  for (const xx of readdirSync(root)) {
    for (const name of readdirSync(join(root, xx))) out.set(name, statSync(join(root, xx, name)).size);
  }
  return out;
}
