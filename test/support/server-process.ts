// Runs Tocsin as a separate OS process (`node --import tsx src/main.ts serve`), for tests that
// signal or kill it (and the benchmarks, which run the compiled build). The address is read from its JSON start-up log line.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  logs: string[];
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `built`: run the compiled server (bin/tocsin.js, as `npm start` does) instead of the source under tsx. */
export async function spawnServer(env: Record<string, string>, args: string[] = ['serve'], options: { built?: boolean } = {}): Promise<ServerProcess> {
  const entry = options.built ? ['bin/tocsin.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = await new Promise<string>((resolve, reject) => {
    // A server that never says it serves is killed, so it cannot outlive the test run.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in 30 s:\n${logs.join('\n')}`));
    }, 30_000);
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; address?: string };
          if (entry.msg === 'Tocsin is serving' && entry.address) {
            clearTimeout(timer);
            resolve(entry.address);
          }
        } catch { /* not JSON */ }
      }
    };
    child.stdout!.on('data', onLine);
    child.stderr!.on('data', onLine);
    exited.then((code) => { clearTimeout(timer); reject(new Error(`server exited (${code}) before serving:\n${logs.join('\n')}`)); });
  });
  return {
    url, child, logs, exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
