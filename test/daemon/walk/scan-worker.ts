// A plain worker_threads entry for the scan-stream tests, standing in for the pool's
// `scan` task: workerData = {opts, port, control, tuning}, the port transferred.
import { workerData, type MessagePort } from 'node:worker_threads';
import { scanToPort, type ScanOptions, type ScanStreamTuning } from '../../../daemon/walk/index.js';

const data = workerData as { opts: ScanOptions; port: MessagePort; control: SharedArrayBuffer; tuning: ScanStreamTuning };
scanToPort(data.opts, data.port, data.control, data.tuning);
data.port.close();
