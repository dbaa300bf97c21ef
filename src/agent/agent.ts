// `tocsin agent`: checks in every interval with the host's facts as a JSON body. Network and
// server errors are logged and retried with a growing delay (never longer than the interval);
// the agent only stops when its signal aborts (SIGTERM/SIGINT).
import { hostFacts } from './host-facts.js';
import { reportOnceText } from './report.js';

export interface AgentOptions {
  url: string;
  intervalMs: number;
  diskPath?: string;
  requestTimeoutMs?: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

export async function runAgent(options: AgentOptions): Promise<void> {
  const timeout = options.requestTimeoutMs ?? 10_000;
  let failures = 0;
  options.log(`tocsin agent: checking in to ${options.url} every ${options.intervalMs / 1000}s`);
  while (!options.signal.aborted) {
    const error = await reportOnceText(options.url, JSON.stringify(await hostFacts(options.diskPath)), timeout, 'application/json');
    if (error) {
      failures += 1;
      const retryMs = Math.min(options.intervalMs, 1000 * 2 ** Math.min(failures - 1, 10));
      options.log(`tocsin agent: check-in failed (${error}); retrying in ${retryMs / 1000}s`);
      await sleep(retryMs, options.signal);
      continue;
    }
    if (failures > 0) options.log(`tocsin agent: check-in works again after ${failures} failure(s)`);
    failures = 0;
    await sleep(options.intervalMs, options.signal);
  }
  options.log('tocsin agent: stopped');
}
