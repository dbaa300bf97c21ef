// The ssh2 client steps the SSH checker needs, as promises: connect (handshake, host key check,
// optional login) and run one command for its exit code.
import { createHash } from 'node:crypto';
import type { Client, ConnectConfig } from 'ssh2';

/** OpenSSH's fingerprint of a raw host key: "SHA256:" + unpadded base64 of its SHA-256. */
export function sshFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** Accepts "SHA256:abc…", "abc…" and "abc…=" for the same fingerprint. */
export function normalizeFingerprint(text: string): string {
  return `SHA256:${text.trim().replace(/^SHA256:/i, '').replace(/=+$/, '')}`;
}

export interface SshLogin {
  username: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

export interface SshSessionResult {
  /** The server's software from its identification line, e.g. "OpenSSH_9.2p1". */
  serverSoftware: string | undefined;
  hostKeyFingerprint: string;
}

/**
 * Connects `client`; resolves after key exchange when `login` is absent (handshake only), or after
 * a successful login. Rejects with ssh2's error; a host key that differs from `expectedFingerprint`
 * rejects with HostKeyMismatch before any credential is sent.
 */
export function openSession(
  client: Client,
  target: { host: string; port: number; readyTimeoutMs: number; expectedFingerprint?: string },
  login: SshLogin | undefined,
): Promise<SshSessionResult> {
  let seenFingerprint = '';
  const expected = target.expectedFingerprint ? normalizeFingerprint(target.expectedFingerprint) : undefined;
  return new Promise((resolve, reject) => {
    const finish = () => resolve({ serverSoftware: remoteSoftware(client), hostKeyFingerprint: seenFingerprint });
    // ssh2 emits errors after we stopped listening (e.g. its own "none" auth failing once we
    // resolved on the handshake); an unheard 'error' event would crash the process.
    client.on('error', (err) => reject(seenFingerprint && expected && seenFingerprint !== expected
      ? new HostKeyMismatch(seenFingerprint, expected)
      : err));
    client.once('close', () => reject(new Error('server closed the connection')));
    if (login) client.once('ready', finish);
    else client.once('handshake', finish);
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      readyTimeout: target.readyTimeoutMs,
      // Without a login we only want the handshake; ssh2 still needs some user name to send.
      username: login?.username ?? 'tocsin-probe',
      password: login?.password,
      privateKey: login?.privateKey,
      passphrase: login?.passphrase,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        seenFingerprint = sshFingerprint(key);
        return expected === undefined || seenFingerprint === expected;
      },
    };
    client.connect(config);
  });
}

export class HostKeyMismatch extends Error {
  constructor(readonly seen: string, readonly expected: string) {
    super(`host key fingerprint ${seen} does not match the expected ${expected}`);
  }
}

export interface CommandResult {
  exitCode: number | null;
  signal: string | undefined;
  /** The start of what the command wrote (stdout, then stderr), for messages. */
  output: string;
}

const keptOutputBytes = 500;

export function runCommand(client: Client, command: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) {
        reject(err);
        return;
      }
      let stdout = '';
      let stderr = '';
      let exitCode: number | null = null;
      let signal: string | undefined;
      stream.on('data', (chunk: Buffer) => {
        if (stdout.length < keptOutputBytes) stdout += chunk.toString();
      });
      stream.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < keptOutputBytes) stderr += chunk.toString();
      });
      stream.on('exit', (code: number | null, signalName?: string) => {
        exitCode = code;
        signal = signalName;
      });
      stream.on('close', () => resolve({ exitCode, signal, output: `${stdout}${stderr}`.trim().slice(0, keptOutputBytes) }));
    });
  });
}

// ssh2 keeps the server's identification in a field it does not declare in its types.
function remoteSoftware(client: Client): string | undefined {
  const software = (client as unknown as { _remoteVer?: unknown })._remoteVer;
  return typeof software === 'string' && software.length > 0 ? software : undefined;
}
