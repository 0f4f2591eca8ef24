// Child-process helper of the compatibility runner: run, capture, time out, never hang.
import { spawn } from 'node:child_process';

/**
 * Runs a command and resolves to `{ code, output, timedOut, ms }` (stdout and stderr merged).
 * Never rejects on a non-zero exit: callers decide what a failure means.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, echo?: boolean }} [options]
 */
export function run(command, args, options = {}) {
  const { cwd, env = process.env, timeoutMs = 10 * 60_000, echo = false } = options;
  const started = Date.now();
  return new Promise((resolve) => {
    // detached: a timed-out command is killed with its whole process group (npm spawns children).
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let timedOut = false;
    const onData = (chunk) => {
      output += chunk;
      if (echo) process.stdout.write(chunk);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (error) => {
      output += `\n[spawn error] ${error.message}\n`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), output, timedOut, ms: Date.now() - started });
    });
  });
}

/** The last `lines` lines of a command's output, indented, for failure reports. */
export function tail(output, lines = 30) {
  return output
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((line) => `    | ${line}`)
    .join('\n');
}
