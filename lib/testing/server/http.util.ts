/** HTTP answer helpers shared by the API, the payment pages and the dashboard. */
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

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
