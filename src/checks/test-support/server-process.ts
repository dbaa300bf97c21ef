// Runs a real server program for a test: waits until it prints the line that says it is ready,
// and makes sure it dies with the test (stop(), and SIGKILL when the test process exits anyway).
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rmSync } from 'node:fs';

export interface ServerProcess {
  child: ChildProcess;
  /** The match of the readiness pattern, e.g. to read the port the server printed. */
  ready: RegExpMatchArray;
  /** Everything the program wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export function startServerProcess(
  command: string,
  args: string[],
  readyPattern: RegExp,
  timeoutMs = 5000,
  options: Pick<SpawnOptions, 'uid' | 'gid'> = {},
): Promise<ServerProcess> {
  const child = spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${command} ${why}; output:\n${output}`)));
    };
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = output.match(readyPattern);
      if (ready && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ child, ready, output: () => output, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err) => fail(`could not start (${err.message})`));
    child.once('exit', (code) => fail(`exited early with code ${code}`));
  });
}

/** A stop() for a server that keeps its files in `dir`: stops it, then removes the dir. */
export function stopAndRemoveDir(server: ServerProcess, dir: string): () => Promise<void> {
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
