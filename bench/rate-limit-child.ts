/**
 * Runs one over-the-window burst in its own process: it spends most of a minute waiting, so the
 * runner overlaps it with the light benchmarks without sharing their heap or event loop.
 * argv: <requestsPerMinute> <calls>; the result is sent over IPC (printed when run by hand:
 * `node bench/dist/bench/rate-limit-child.js 120 200`).
 */
import { benchRateLimitBurst } from './rate-limit.bench.js';

const result = await benchRateLimitBurst(Number(process.argv[2]), Number(process.argv[3]));
if (process.send) {
  process.send(result);
  process.disconnect();
} else {
  process.stdout.write(JSON.stringify(result, null, 2) + '\n'); // run by hand
}
