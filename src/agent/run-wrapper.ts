// `tocsin run --url <check-in URL> -- <command>`: signals start, runs the command (its output
// still goes to this terminal), then signals its exit status with the tail of its output as the
// log. The server measures the duration between start and end. A signal the server could not
// take (no answer, 429, 5xx) is sent again a few times (`retry`), so a restart of Tocsin or of its
// database costs no check-in. Check-in failures are reported on stderr but never change the
// command's own exit status.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { defaultRetryPolicy, reportWithRetries, type RetryPolicy } from './report.js';

export interface RunOptions {
  url: string;
  /** Where the command's output is echoed (the terminal by default). */
  echo?: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
  command: string;
  args: string[];
  tailBytes?: number;
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  log: (line: string) => void;
}

/** Keeps the last `limit` bytes written to it. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0].length >= this.limit) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

export async function runWrapped(options: RunOptions): Promise<number> {
  // The signal goes at the end of the path, before any query (e.g. ".../<slug>?create=1").
  const signalUrl = (suffix: string) => {
    const url = new URL(options.url);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${suffix}`;
    return url.toString();
  };
  const timeout = options.requestTimeoutMs ?? 10_000;
  const report = async (suffix: string, body?: string) => {
    const error = await reportWithRetries(signalUrl(suffix), body, timeout, options.retry ?? defaultRetryPolicy,
      (failure, delayMs) => options.log(`tocsin run: could not signal ${suffix}: ${failure}; trying again in ${delayMs / 1000}s`));
    if (error) options.log(`tocsin run: could not signal ${suffix}: ${error}`);
  };
  await report('start');
  const tail = new Tail(options.tailBytes ?? 10_240);
  const echo = options.echo ?? { stdout: process.stdout, stderr: process.stderr };
  const status = await new Promise<number>((resolve) => {
    const child = spawn(options.command, options.args, { stdio: ['inherit', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => { tail.push(chunk); echo.stdout.write(chunk); });
    child.stderr.on('data', (chunk: Buffer) => { tail.push(chunk); echo.stderr.write(chunk); });
    child.on('error', (err) => {
      tail.push(Buffer.from(`tocsin run: cannot start ${options.command}: ${err.message}\n`));
      options.log(`tocsin run: cannot start ${options.command}: ${err.message}`);
      resolve(127);
    });
    // Pass termination on to the command; its exit status is then reported as usual.
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGTERM', forward);
    process.on('SIGINT', forward);
    child.on('close', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
      resolve(exitStatus(code, signal));
    });
  });
  await report(String(Math.min(status, 255)), tail.text());
  return status;
}
