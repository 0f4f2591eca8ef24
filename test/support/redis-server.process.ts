import { spawn, type ChildProcess } from 'node:child_process';
import { createClient } from 'redis';
import { unusedPort } from './loopback-server.js';

/** Debian's redis-server (`.ci/run` installs the package when missing). */
const REDIS_SERVER = process.env['REDIS_SERVER_BIN'] ?? '/usr/bin/redis-server';

// No reconnecting: a test talking to a stopped server fails at once instead of hanging.
const createTestClient = (url: string) =>
  createClient({ url, socket: { reconnectStrategy: false } });

/** A node-redis client for assertions on what the module wrote. */
export type TestRedisClient = ReturnType<typeof createTestClient>;

/**
 * A real redis-server of its own on a free loopback port, persistence off. `stop()` and
 * `start()` again on the same port simulate an outage; `freeze()`/`thaw()` a Redis that does
 * not answer (SIGSTOP/SIGCONT).
 */
export class RedisServerProcess {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    /** With a password, the server requires AUTH (`--requirepass`). */
    readonly password?: string,
    /** Extra `redis-server` arguments (cluster mode). */
    private readonly extraArgs: readonly string[] = [],
  ) {}

  /** `redis://127.0.0.1:<port>`, or `redis://:<password>@127.0.0.1:<port>`. */
  get url(): string {
    const auth = this.password === undefined ? '' : `:${encodeURIComponent(this.password)}@`;
    return `redis://${auth}127.0.0.1:${this.port}`;
  }

  static async start(options: { password?: string } = {}): Promise<RedisServerProcess> {
    const server = await RedisServerProcess.reserve(options);
    await server.start();
    return server;
  }

  /** A server on a free port that is not started yet (Redis down at boot). */
  static async reserve(
    options: { password?: string; port?: number; extraArgs?: readonly string[] } = {},
  ): Promise<RedisServerProcess> {
    return new RedisServerProcess(
      options.port ?? (await unusedPort()),
      options.password,
      options.extraArgs ?? [],
    );
  }

  /** Starts (again) on the same port and resolves once it accepts connections. */
  async start(): Promise<void> {
    const child = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        ...(this.password === undefined ? [] : ['--requirepass', this.password]),
        ...this.extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        if (output.includes('Ready to accept connections')) {
          child.stdout!.off('data', onData);
          child.stdout!.resume();
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.resume();
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`redis-server exited with ${code}: ${output}`)),
      );
    });
  }

  /** Stops the server and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = undefined;
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    await exited;
  }

  /** Kills the server at once (SIGKILL: no shutdown, nothing saved) and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = undefined;
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** The server stops answering (connections stay open). */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  /** A connected node-redis client; quit it when done. */
  async client(): Promise<TestRedisClient> {
    const client = createTestClient(this.url);
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }
}

/** Every key and every value in Redis, as text (for "the raw key never reaches Redis"). */
export async function dumpRedis(client: TestRedisClient): Promise<string> {
  const keys = await client.keys('*');
  const parts: string[] = [];
  for (const key of keys) {
    const type = await client.type(key);
    parts.push(key);
    if (type === 'string') parts.push(String(await client.get(key)));
    else if (type === 'zset') parts.push(...(await client.zRange(key, 0, -1)));
    else if (type === 'hash') parts.push(...Object.entries(await client.hGetAll(key)).flat());
    else parts.push(`<${type}>`);
  }
  return parts.join('\n');
}
