import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unusedPort } from './loopback-server.js';
import { RedisServerProcess } from './redis-server.process.js';

const run = promisify(execFile);

/** Debian's redis-cli, used to create the cluster. */
const REDIS_CLI = process.env['REDIS_CLI_BIN'] ?? '/usr/bin/redis-cli';

/**
 * A Redis Cluster of `masters` masters (no replicas) on free loopback ports, created the way an
 * operator does: `redis-server --cluster-enabled yes` per node, then `redis-cli --cluster create`.
 * Each node also needs its bus port (port + 10000) free, so ports are picked below 55536.
 */
export class RedisClusterProcess {
  private constructor(
    readonly nodes: RedisServerProcess[],
    private readonly directory: string,
    /** With a password, every node requires AUTH (`--requirepass`, `--masterauth`). */
    private readonly password?: string,
  ) {}

  /** `redis-cli` arguments for `node`, with AUTH when the cluster has a password. */
  private cli(node: RedisServerProcess, ...args: string[]): string[] {
    const auth = this.password === undefined ? [] : ['--no-auth-warning', '-a', this.password];
    return [...auth, '-p', String(node.port), ...args];
  }

  /** `[{ url }]` of every master, for `createCluster({ rootNodes })`. */
  get rootNodes(): { url: string }[] {
    return this.nodes.map((node) => ({ url: node.url }));
  }

  /** `[{ host, port }]` of every master, for ioredis `new Cluster(...)`. */
  get startupNodes(): { host: string; port: number }[] {
    return this.nodes.map((node) => ({ host: '127.0.0.1', port: node.port }));
  }

  static async start(masters = 3, password?: string): Promise<RedisClusterProcess> {
    const directory = await mkdtemp(join(tmpdir(), 'secpaid-cluster-'));
    const nodes: RedisServerProcess[] = [];
    try {
      for (let i = 0; i < masters; i++) {
        const port = await clusterPort();
        const node = await RedisServerProcess.reserve({
          port,
          ...(password === undefined ? {} : { password }),
          extraArgs: [
            ...(password === undefined ? [] : ['--masterauth', password]),
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(directory, `nodes-${port}.conf`),
            '--cluster-node-timeout',
            '2000',
            '--dir',
            directory,
          ],
        });
        await node.start();
        nodes.push(node);
      }
      await run(REDIS_CLI, [
        ...(password === undefined ? [] : ['--no-auth-warning', '-a', password]),
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-yes',
      ]);
      const cluster = new RedisClusterProcess(nodes, directory, password);
      await cluster.waitUntilOk();
      return cluster;
    } catch (error) {
      await Promise.all(nodes.map((node) => node.stop()));
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops every node and removes their files. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
    await rm(this.directory, { recursive: true, force: true });
  }

  /** Every key of every master, by port (to see where a key landed). */
  async keysByNode(): Promise<Map<number, string[]>> {
    const byNode = new Map<number, string[]>();
    for (const node of this.nodes) {
      const { stdout } = await run(REDIS_CLI, this.cli(node, '--raw', 'keys', '*'));
      byNode.set(
        node.port,
        stdout.split('\n').filter((key) => key.length > 0),
      );
    }
    return byNode;
  }

  /** Waits until every node reports `cluster_state:ok` (slots assigned and agreed). */
  private async waitUntilOk(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const states = await Promise.all(
        this.nodes.map((node) =>
          run(REDIS_CLI, this.cli(node, 'cluster', 'info')).then(
            ({ stdout }) => stdout.includes('cluster_state:ok'),
            () => false,
          ),
        ),
      );
      if (states.every(Boolean)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the Redis Cluster did not reach cluster_state:ok');
  }
}

/** A free loopback port whose cluster bus port (+10000) is in range and free too. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await unusedPort();
    if (port > 55_535) continue;
    const bus = await import('node:net').then(
      (net) =>
        new Promise<boolean>((resolve) => {
          const probe = net.createServer();
          probe.once('error', () => resolve(false));
          probe.listen(port + 10_000, '127.0.0.1', () => probe.close(() => resolve(true)));
        }),
    );
    if (bus) return port;
  }
}
