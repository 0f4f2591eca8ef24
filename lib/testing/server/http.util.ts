import type { ServerResponse } from 'node:http';
import type { MockEnvelope } from '../api/envelope.util.js';

/** Sends an envelope as JSON. */
export function sendJson(res: ServerResponse, status: number, envelope: MockEnvelope): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(envelope));
}

/** Sends an HTML page. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}
