// Runs the real `onramp` binary as a child process, as a user would through `npx onramp`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ONRAMP_BIN = fileURLToPath(new URL('../../bin/onramp.js', import.meta.url));

export interface RunningCli {
  child: ChildProcess;
  /** The first stdout line, parsed as JSON. */
  firstLine: Promise<Record<string, unknown>>;
  stderr: () => string;
  exit: Promise<number | null>;
}

export function startCli(args: string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [ONRAMP_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`first stdout line is not JSON: ${line}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`onramp exited (${code}) before printing a line; stderr:\n${err}`)));
  });
  // A test that reads human output never awaits firstLine: its rejection is not an error then.
  firstLine.catch(() => undefined);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, stderr: () => err, exit };
}

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed after `timeoutMs`: a hang fails the test that caused it instead of the suite's timeout. */
  timedOut: boolean;
}

/**
 * Starts onramp; `onStdout` sees the whole stdout so far after each chunk (to act mid-run). A run
 * still going after `timeoutMs` (default 120 s) is killed and answers code null with `timedOut`.
 */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
  onStdout?: (stdout: string, child: ChildProcess) => void,
  o: { timeoutMs?: number; cwd?: string } = {},
): { child: ChildProcess; done: Promise<CliOutcome> } {
  const child = spawn(process.execPath, [ONRAMP_BIN, ...args], { env: { ...process.env, ...env }, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout!.on('data', (d) => {
    stdout += d;
    onStdout?.(stdout, child);
  });
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, o.timeoutMs ?? 120_000);
  const done = new Promise<CliOutcome>((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    }),
  );
  return { child, done };
}

/** Runs the CLI to its end. */
export const runCli = (args: string[], env: Record<string, string> = {}, o: { timeoutMs?: number; cwd?: string } = {}): Promise<CliOutcome> => spawnCli(args, env, undefined, o).done;

/** What every bad-input answer must be: exit 2, the culprit named, no stack trace, no hang. */
export function expectUsageError(r: { code: number | null; stderr: string; timedOut: boolean }, ...mentions: (string | RegExp)[]): void {
  const where = `stderr:\n${r.stderr}`;
  if (r.timedOut) throw new Error(`onramp did not exit in time; ${where}`);
  if (r.code !== 2) throw new Error(`exit code ${r.code}, expected 2; ${where}`);
  if (/\n\s+at /.test(r.stderr)) throw new Error(`a stack trace was printed; ${where}`);
  for (const m of mentions) {
    const found = typeof m === 'string' ? r.stderr.includes(m) : m.test(r.stderr);
    if (!found) throw new Error(`stderr does not mention ${m}; ${where}`);
  }
}
