// Every single byte of a small pack, a tree pack and a snapshot object (issue 3's tamper
// acceptance, in full). npm run test:slow.
import { realPackSuite, tamperSuite } from './tamper-sampled.slow.test.js';

tamperSuite(1);
realPackSuite(64);
