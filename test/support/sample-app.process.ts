import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is test/support/sample-app.process.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = resolve(REPO_ROOT, 'sample-app', 'dist', 'main.js');

/** The built sample app running as a child process, with everything it logged. */
export interface RunningSampleApp {
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node sample-app/dist/main.js` on `port` without any `SECPAID_*` variable (so it uses
 * its embedded mock) and resolves once `GET /health/live` answers.
 */
export async function startSampleApp(port: number): Promise<RunningSampleApp> {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} is missing: run npm run build && npm run build:sample first`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), NO_COLOR: '1' };
  for (const name of Object.keys(env)) {
    if (name.startsWith('SECPAID_') || name === 'PUBLIC_URL') delete env[name];
  }
  const child = spawn(process.execPath, [MAIN], { cwd: REPO_ROOT, env, stdio: 'pipe' });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const app: RunningSampleApp = {
    baseUrl,
    output: () => log,
    stop: () => stopChild(child, exited),
  };
  try {
    await waitForLive(baseUrl, child);
  } catch (error) {
    await app.stop();
    throw new Error(`${(error as Error).message}\n--- sample app output ---\n${log}`, {
      cause: error,
    });
  }
  return app;
}

async function waitForLive(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sample app exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/health/live`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error('sample app did not answer /health/live within 60 s');
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
