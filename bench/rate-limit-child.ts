/**
 * Runs one over-the-window burst in its own process: it spends most of a minute waiting, so the
 * runner overlaps it with the light benchmarks without sharing their heap or event loop.
 * argv: <requestsPerMinute> <calls>; the result is sent over IPC.
 */
import { benchRateLimitBurst } from './rate-limit.bench.js';

const result = await benchRateLimitBurst(Number(process.argv[2]), Number(process.argv[3]));
process.send?.(result);
process.disconnect?.();
