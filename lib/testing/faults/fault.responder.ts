import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorEnvelope } from '../api/envelope.util.js';
import type { MockFault } from '../secpaid-mock.types.js';

/**
 * Applies an injected fault. Returns true when the fault answered (or dropped) the request,
 * false when the normal answer should follow (a pure delay).
 */
export async function respondWithFault(
  fault: MockFault,
  req: IncomingMessage,
  res: ServerResponse,
  delays: MockDelayScheduler,
): Promise<boolean> {
  if (fault.delayMs !== undefined && fault.delayMs > 0) {
    const elapsed = await delays.wait(fault.delayMs);
    if (!elapsed || req.socket.destroyed) return true;
  }
  if (fault.drop === 'reset') {
    req.socket.destroy();
    return true;
  }
  if (fault.drop === 'hang') return true; // never answered; stop() closes the socket
  if (fault.status === undefined && fault.body === undefined) {
    for (const [name, value] of Object.entries(fault.headers ?? {})) res.setHeader(name, value);
    return false;
  }
  const status = fault.status ?? (fault.body === undefined ? 500 : 200);
  let text: string;
  let contentType = 'application/json';
  if (fault.body === undefined) {
    text = JSON.stringify(errorEnvelope('Internal Server Error'));
  } else if (typeof fault.body === 'string') {
    text = fault.body;
    if (/^\s*</.test(text)) contentType = 'text/html; charset=utf-8';
  } else {
    text = JSON.stringify(fault.body);
  }
  res.writeHead(status, { 'content-type': contentType, ...fault.headers });
  res.end(text);
  return true;
}

/** Delay timers that `stop()` can cancel, so no timer keeps the process alive. */
export class MockDelayScheduler {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private cancelled = false;

  /** Resolves after `ms`, or at once when cancelled; resolves to false when cancelled. */
  wait(ms: number): Promise<boolean> {
    if (this.cancelled) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, () => resolve(false));
    });
  }

  /** Clears every pending timer and resolves its waiter with false. */
  cancelAll(): void {
    this.cancelled = true;
    for (const [timer, release] of this.pending) {
      clearTimeout(timer);
      release();
    }
    this.pending.clear();
  }
}
