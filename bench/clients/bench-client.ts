/** The two calls every overhead variant makes, however it makes them. */
export interface BenchClient {
  /** Short label used in the table (`node:http`, `axios`, `SecPaidService`). */
  readonly name: string;
  /** `getMyUnusedLinks` with no query (the mock answers 10 seeded links). */
  getMyUnusedLinks(): Promise<unknown>;
  /** `createLink` with `{ amount: 49.99, note }`. */
  createLink(note: string): Promise<unknown>;
  /** Releases sockets / closes the app. */
  close(): Promise<void>;
}

/** The amount every benchmark link is created with. */
export const BENCH_AMOUNT = 49.99;
