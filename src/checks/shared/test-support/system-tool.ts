// Tests that need a system program (openssl, ping, dnsmasq) skip with a printed reason when it is
// missing, except under CI=true where scripts/install-system-deps.sh must have installed it.
import { spawnSync } from 'node:child_process';

export function skipUnlessInstalled(command: string, debianPackage: string): string | false {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
  if (found || process.env.CI === 'true') return false;
  const reason = `${command} not installed (Debian package ${debianPackage})`;
  console.log(`# skipping: ${reason}`);
  return reason;
}
