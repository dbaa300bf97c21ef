import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { once } from 'node:events';
import { Resolver } from 'node:dns/promises';
import { checkContext } from '../shared/test-support/servers.js';
import { skipUnlessInstalled } from '../shared/test-support/system-tool.js';
import { dnsChecker } from './dns-checker.js';
import type { DnsConfigSchema } from './dns-checker.js';
import type { Static } from 'typebox';

type DnsConfig = Static<typeof DnsConfigSchema>;

// Records dnsmasq serves: authoritative for example.test and the reverse names of 127.0.0.0/24
// and ::/64 (so NS, SOA and PTR exist; addresses outside those subnets would be hidden),
// local-only for *.test (unknown names get NXDOMAIN instead of a forward).
const dnsmasqRecords = [
  '--local=/test/',
  '--auth-server=ns1.example.test,127.0.0.1',
  '--auth-zone=example.test,127.0.0.0/24,::/64',
  '--auth-soa=2024010101,hostmaster.example.test',
  '--host-record=example.test,127.0.0.2',
  '--host-record=v6.example.test,::2',
  '--cname=www.example.test,example.test',
  '--mx-host=example.test,mail.example.test,10',
  '--txt-record=example.test,v=spf1 -all',
  '--srv-host=_http._tcp.example.test,web.example.test,80,1,5',
  '--ptr-record=2.0.0.127.in-addr.arpa,example.test',
  '--caa-record=example.test,0,issue,letsencrypt.org',
];

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  socket.close();
  return port;
}

async function answers(address: string): Promise<boolean> {
  const resolver = new Resolver({ timeout: 100, tries: 1 });
  resolver.setServers([address]);
  return resolver.resolve4('example.test').then(() => true, () => false);
}

async function startDnsmasq(): Promise<{ address: string; process: ChildProcess }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeUdpPort();
    const child = spawn('dnsmasq', [
      '--keep-in-foreground', '--conf-file=/dev/null', '--pid-file', `--port=${port}`, '--listen-address=127.0.0.1',
      '--bind-interfaces', '--no-resolv', '--no-hosts', '--user=root', '--log-facility=-', ...dnsmasqRecords,
    ], { stdio: 'ignore' });
    const address = `127.0.0.1:${port}`;
    for (let i = 0; i < 40 && child.exitCode === null; i++) {
      if (await answers(address)) return { address, process: child };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
  }
  throw new Error('dnsmasq did not start');
}

describe('dns checker', { skip: skipUnlessInstalled('dnsmasq', 'dnsmasq-base') }, () => {
  let dnsmasq: ChildProcess;
  let resolver: string;
  let silent: Socket;
  let silentAddress: string;
  before(async () => {
    ({ address: resolver, process: dnsmasq } = await startDnsmasq());
    silent = createSocket('udp4'); // receives queries and never answers
    silent.bind(0, '127.0.0.1');
    await once(silent, 'listening');
    silentAddress = `127.0.0.1:${silent.address().port}`;
  });
  after(() => {
    dnsmasq?.kill('SIGKILL');
    silent?.close();
  });

  const check = (config: Omit<DnsConfig, 'resolver'>, timeoutMs = 2000) => dnsChecker.run({ resolver, ...config }, checkContext(timeoutMs));

  it('is up when a record matches the expected answer', async () => {
    const outcome = await check({ name: 'example.test', expected: '127.0.0.2' });
    assert.equal(outcome.up, true, outcome.detail);
    assert.match(outcome.detail, /^127\.0\.0\.2 in [\d.]+ ms$/);
    assert.ok(outcome.latencyMs !== null);
  });

  it('is up with any answer when nothing is expected', async () => {
    assert.equal((await check({ name: 'example.test' })).up, true);
  });

  it('is down when no record matches', async () => {
    const outcome = await check({ name: 'example.test', expected: '127.0.0.9' });
    assert.deepEqual([outcome.up, outcome.detail], [false, 'expected 127.0.0.9, got 127.0.0.2']);
  });

  it('resolves every supported record type', async () => {
    const cases: [DnsConfig['recordType'], string, string][] = [
      ['AAAA', 'v6.example.test', '::2'],
      ['CNAME', 'www.example.test', 'EXAMPLE.TEST.'],
      ['MX', 'example.test', '10 mail.example.test'],
      ['MX', 'example.test', 'mail.example.test'],
      ['TXT', 'example.test', 'v=spf1 -all'],
      ['NS', 'example.test', 'ns1.example.test'],
      ['SOA', 'example.test', 'ns1.example.test'],
      ['SRV', '_http._tcp.example.test', '1 5 80 web.example.test'],
      ['PTR', '127.0.0.2', 'example.test'],
      ['PTR', '2.0.0.127.in-addr.arpa', 'example.test'],
      ['CAA', 'example.test', 'letsencrypt.org'],
      ['CAA', 'example.test', '0 issue "letsencrypt.org"'],
    ];
    for (const [recordType, name, expected] of cases) {
      const outcome = await check({ name, recordType, expected });
      assert.equal(outcome.up, true, `${recordType} ${name}: ${outcome.detail}`);
    }
  });

  it('is down on NXDOMAIN', async () => {
    const outcome = await check({ name: 'missing.example.test' });
    assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'missing.example.test does not exist (NXDOMAIN)' });
  });

  it('is down when the name has no records of that type', async () => {
    const outcome = await check({ name: 'v6.example.test', recordType: 'MX' });
    assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'no MX records for v6.example.test' });
  });

  it('times out when the resolver does not answer', async () => {
    const started = Date.now();
    const outcome = await dnsChecker.run({ name: 'example.test', resolver: silentAddress }, checkContext(300));
    assert.deepEqual(outcome, { up: false, latencyMs: null, detail: 'timed out after 300 ms' });
    assert.ok(Date.now() - started < 1000);
  });

  it('reports an invalid resolver address', async () => {
    const outcome = await dnsChecker.run({ name: 'example.test', resolver: 'not an address' }, checkContext());
    assert.equal(outcome.detail, 'invalid resolver address not an address');
  });
});
