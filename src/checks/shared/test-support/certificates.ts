// Test certificates made with the openssl command line: a private CA and leaf certificates for
// localhost/127.0.0.1/::1 that are valid, expired, expiring soon or not yet valid, plus a
// self-signed one. `openssl ca -startdate/-enddate` sets past dates (OpenSSL 3.0 has no -not_before).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyAndCert {
  key: string;
  cert: string;
}

export interface TestCertificates {
  caPem: string;
  valid: KeyAndCert;
  expired: KeyAndCert;
  expiringSoon: KeyAndCert;
  notYetValid: KeyAndCert;
  selfSigned: KeyAndCert;
  remove(): void;
}

const dayMs = 24 * 60 * 60 * 1000;
export const expiringSoonDays = 5;

export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-certs-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(file('openssl.cnf'), caConfig(dir));
  writeFileSync(file('index.txt'), '');
  writeFileSync(file('serial'), '1000\n');

  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Tocsin Test CA', '-days', '3650');
  openssl('req', '-new', ...newKey, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost');
  const key = readFileSync(file('leaf.key'), 'utf8');

  const signed = (name: string, startOffsetDays: number, endOffsetDays: number): KeyAndCert => {
    openssl('ca', '-batch', '-config', 'openssl.cnf', '-notext', '-extensions', 'leaf_ext',
      '-startdate', asn1Time(startOffsetDays), '-enddate', asn1Time(endOffsetDays),
      '-in', 'leaf.csr', '-out', `${name}.pem`);
    return { key, cert: readFileSync(file(`${name}.pem`), 'utf8') };
  };

  openssl('req', '-x509', ...newKey, '-keyout', 'self.key', '-out', 'self.pem', '-subj', '/CN=localhost',
    '-days', '365', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1');
  return {
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    valid: signed('valid', -1, 90),
    expired: signed('expired', -30, -2),
    expiringSoon: signed('soon', -1, expiringSoonDays + 0.5),
    notYetValid: signed('future', 2, 60),
    selfSigned: { key: readFileSync(file('self.key'), 'utf8'), cert: readFileSync(file('self.pem'), 'utf8') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function asn1Time(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * dayMs).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

function caConfig(dir: string): string {
  return `[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ${dir}
database = ${dir}/index.txt
new_certs_dir = ${dir}
serial = ${dir}/serial
certificate = ${dir}/ca.pem
private_key = ${dir}/ca.key
default_md = sha256
policy = policy_any
unique_subject = no
[ policy_any ]
commonName = supplied
[ leaf_ext ]
basicConstraints = CA:FALSE
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
`;
}
