// Decides whether a test suite that needs an outside server or program may run. Absent ones skip
// the suite with a printed reason, except under CI=true where the suite must run (and fail).
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

const inCi = process.env.CI === 'true';

/** The skip value for describe(): false to run, or the reason to skip. */
export function skipUnless(what: string, problem: string | null): string | false {
  if (problem === null || inCi) return false;
  console.log(`# skipping ${what} tests: ${problem}`);
  return problem;
}

/** null when something accepts TCP connections at host:port, otherwise why not. */
export function tcpProblem(host: string, port: number, timeoutMs = 1000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (problem: string | null) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => finish(`nothing answered at ${host}:${port} within ${timeoutMs} ms`));
    socket.once('connect', () => finish(null));
    socket.once('error', (err) => finish(`${host}:${port} not reachable (${err.message})`));
  });
}

/** null when every file exists, otherwise which one is missing (and the package that ships it). */
export function filesProblem(files: Record<string, string>): string | null {
  for (const [path, debianPackage] of Object.entries(files)) {
    if (!existsSync(path)) return `${path} missing (Debian package ${debianPackage})`;
  }
  return null;
}
