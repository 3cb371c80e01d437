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
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, stderr: () => err, exit };
}

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts onramp; `onStdout` sees the whole stdout so far after each chunk (to act mid-run). */
export function spawnCli(args: string[], env: Record<string, string> = {}, onStdout?: (stdout: string, child: ChildProcess) => void): { child: ChildProcess; done: Promise<CliOutcome> } {
  const child = spawn(process.execPath, [ONRAMP_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
    onStdout?.(stdout, child);
  });
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliOutcome>((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

export const runCli = (args: string[], env: Record<string, string> = {}): Promise<CliOutcome> => spawnCli(args, env).done;
