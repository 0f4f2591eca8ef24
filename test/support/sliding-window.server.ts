import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the strict server saw it. */
export interface WindowedArrival {
  /** `Date.now()` when the request arrived. */
  at: number;
  path: string;
  status: number;
}

/**
 * A strict SecPaid stand-in on 127.0.0.1: at most `limit` requests are accepted in any
 * sliding `windowMs` (counting accepted ones, as SecPaid's per-key limit would); the rest get
 * 429 with `Retry-After`. Every accepted request gets an empty success envelope.
 */
export class SlidingWindowServer {
  readonly arrivals: WindowedArrival[] = [];
  private forced429: { count: number; retryAfterSec: number } | undefined;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  static async start(limit: number, windowMs: number): Promise<SlidingWindowServer> {
    const self: { instance?: SlidingWindowServer } = {};
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => self.instance!.answer(req.url ?? '', res));
    });
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self.instance = new SlidingWindowServer(server, `http://127.0.0.1:${port}`, limit, windowMs);
    return self.instance;
  }

  /** The next `count` requests get 429 with `Retry-After: retryAfterSec`. */
  force429(count: number, retryAfterSec: number): void {
    this.forced429 = { count, retryAfterSec };
  }

  /** Requests answered 429. */
  get rejected(): number {
    return this.arrivals.filter((a) => a.status === 429).length;
  }

  /** Requests to paths ending with `endpoint`. */
  count(endpoint: string): number {
    return this.arrivals.filter((a) => a.path.endsWith(endpoint)).length;
  }

  /** The most requests that arrived in any window of `windowMs` (429s included). */
  peakInAnyWindow(windowMs = this.windowMs): number {
    const times = this.arrivals.map((a) => a.at).sort((a, b) => a - b);
    let peak = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= windowMs) start++;
      peak = Math.max(peak, end - start + 1);
    }
    return peak;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(path: string, res: import('node:http').ServerResponse): void {
    const at = Date.now();
    const accepted = this.arrivals.filter((a) => a.status === 200 && at - a.at < this.windowMs);
    let status = 200;
    let retryAfterSec = Math.ceil(
      (accepted.length > 0 ? accepted[0]!.at + this.windowMs - at : 0) / 1000,
    );
    if (this.forced429 && this.forced429.count > 0) {
      this.forced429.count--;
      status = 429;
      retryAfterSec = this.forced429.retryAfterSec;
    } else if (accepted.length >= this.limit) {
      status = 429;
    }
    this.arrivals.push({ at, path, status });
    if (status === 429) {
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(retryAfterSec),
      });
      res.end(
        JSON.stringify({ ResponseCode: 0, ResponseMsg: 'Too Many Requests', Result: 'False' }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ResponseCode: 1, ResponseMsg: 'ok', Result: 'True', data: [] }));
  }
}
