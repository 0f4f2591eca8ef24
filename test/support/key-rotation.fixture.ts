import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * The client side of a key rotation, in one ordered record: every `token` header this process
 * put on the wire (Node's `http.client.request.start` channel fires as a request is sent) and
 * every key the test's provider handed out. "Nothing is sent with A after the provider returned
 * B" is then a question about this one list.
 */
export type RotationEvent =
  { kind: 'sent'; key: string | undefined; path: string } | { kind: 'provided'; key: string };

/** A key provider the test switches, writing what it returns into the record. */
export interface RotatingKeySource {
  /** Pass as `apiKey`. */
  provider: () => Promise<string>;
  /** Number of provider calls so far. */
  reads: number;
  /** From now on the provider returns `next` (a key, or a function: throws, hangs, ...). */
  answer(next: string | (() => string | Promise<string>)): void;
}

/** Records sends and provider answers until `stop()`. */
export class RotationRecord {
  readonly events: RotationEvent[] = [];
  private readonly onSend = (message: unknown): void => {
    const request = (message as { request: ClientRequest }).request;
    const token = request.getHeader('token');
    this.events.push({
      kind: 'sent',
      key: typeof token === 'string' ? token : undefined,
      path: request.path,
    });
  };

  constructor() {
    diagnostics.subscribe('http.client.request.start', this.onSend);
  }

  /** A provider starting with `initial`; every answer is recorded. */
  source(initial: string): RotatingKeySource {
    let answer: () => string | Promise<string> = () => initial;
    const source: RotatingKeySource = {
      reads: 0,
      provider: async () => {
        source.reads++;
        const key = await answer();
        this.events.push({ kind: 'provided', key });
        return key;
      },
      answer(next) {
        answer = typeof next === 'function' ? next : () => next;
      },
    };
    return source;
  }

  /** Keys sent to SecPaid (`/api/v2/` paths only), in order. */
  sentKeys(): (string | undefined)[] {
    return this.events
      .filter((e): e is Extract<RotationEvent, { kind: 'sent' }> => e.kind === 'sent')
      .filter((e) => e.path.includes('/api/v2/'))
      .map((e) => e.key);
  }

  /** Requests sent with `oldKey` after the provider first returned `newKey`. */
  sentWithAfterProvided(oldKey: string, newKey: string): number {
    const provided = this.events.findIndex((e) => e.kind === 'provided' && e.key === newKey);
    if (provided === -1) return 0;
    return this.events
      .slice(provided)
      .filter((e) => e.kind === 'sent' && e.key === oldKey && e.path.includes('/api/v2/')).length;
  }

  stop(): void {
    diagnostics.unsubscribe('http.client.request.start', this.onSend);
  }
}
