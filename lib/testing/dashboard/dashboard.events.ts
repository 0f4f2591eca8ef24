/**
 * Server-sent events of the dashboard: one `change` event per burst of state changes. Changes
 * are coalesced (at most one event per {@link DASHBOARD_EVENT_INTERVAL_MS}), so an API under load
 * costs the open dashboards one refresh per interval, not one per request; the number of open
 * streams is capped. Nothing is scheduled while no dashboard is open.
 */
import type { ServerResponse } from 'node:http';

/** Shortest time between two `change` events. */
export const DASHBOARD_EVENT_INTERVAL_MS = 100;
/** Most event streams open at once; more are answered 503. */
export const DASHBOARD_MAX_STREAMS = 16;

/** Open event streams and the coalescing timer. */
export class DashboardEvents {
  private readonly streams = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Counts state changes; the page shows the version it reflects. */
  version = 0;

  /** Notes a state change; the open streams hear of it within the interval. */
  changed(): void {
    this.version++;
    if (this.streams.size === 0 || this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const event = `event: change\ndata: ${this.version}\n\n`;
      for (const stream of this.streams) stream.write(event);
    }, DASHBOARD_EVENT_INTERVAL_MS);
    this.timer.unref();
  }

  /** Answers `GET /dashboard/events`: keeps the response open as an event stream. */
  open(res: ServerResponse): void {
    if (this.closed || this.streams.size >= DASHBOARD_MAX_STREAMS) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
      res.end('Too many open dashboards');
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    // `retry` tells EventSource how long to wait before reconnecting after a drop.
    res.write(`retry: 2000\nevent: hello\ndata: ${this.version}\n\n`);
    this.streams.add(res);
    const forget = (): void => {
      this.streams.delete(res);
    };
    // The response's `close` (not the request's, which fires once its body is read): the
    // browser went away or the server ended the stream.
    res.on('close', forget);
  }

  /** Number of open streams. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Ends every stream and cancels the pending event (the server is stopping). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }
}
