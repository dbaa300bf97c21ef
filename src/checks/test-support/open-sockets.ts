// Checkers run by the thousand, so a leaked socket per run is a real outage. Suites call this
// after stopping their in-process servers: any TCP/TLS handle still open was left by a checker.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

export async function assertNoOpenSockets(): Promise<void> {
  const open = () => process.getActiveResourcesInfo().filter((name) => /^(TCP|TLS|Connect)/.test(name));
  // Closing is asynchronous: give destroyed sockets a moment to release their handles.
  for (let i = 0; i < 20 && open().length > 0; i++) await sleep(25);
  assert.deepEqual(open(), [], 'sockets left open after the checks ended');
}
