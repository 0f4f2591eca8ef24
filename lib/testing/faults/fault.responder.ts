import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorEnvelope } from '../api/envelope.util.js';
import type { MockFault } from '../secpaid-mock.types.js';
import type { MockDelayScheduler } from './delay.scheduler.js';

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
