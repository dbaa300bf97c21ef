// "ssh": an SSH server completes the handshake (optionally with a pinned host key), optionally
// accepts a login, and optionally runs a command whose exit code decides the check.
import Type from 'typebox';
import { abortable } from '../shared/abortable.js';
import { deadlineFor } from '../shared/deadline.js';
import { applyDefaults } from '../shared/defaults.js';
import { describeNetworkError } from '../shared/network-errors.js';
import { HostSchema } from '../shared/schemas.js';
import { formatMs, startStopwatch } from '../shared/stopwatch.js';
import { defineChecker, type CheckOutcome } from '../types.js';
import { HostKeyMismatch, openSession, runCommand, type CommandResult } from './ssh-session.js';

export const sshDefaults = { port: 22, expectedExitCode: 0 } as const;

const SshConfigSchema = Type.Object({
  host: HostSchema,
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: sshDefaults.port, description: 'TCP port.' })),
  username: Type.Optional(Type.String({ minLength: 1, description: 'Log in as this user; without it only the handshake is checked.' })),
  password: Type.Optional(Type.String({ description: 'Password for `username`.' })),
  privateKey: Type.Optional(Type.String({ minLength: 1, description: 'Private key (OpenSSH or PEM text) for `username`.' })),
  passphrase: Type.Optional(Type.String({ description: 'Passphrase of `privateKey`, when it is encrypted.' })),
  command: Type.Optional(Type.String({ minLength: 1, description: 'Command to run after logging in; its exit code decides the check.' })),
  expectedExitCode: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, default: sshDefaults.expectedExitCode, description: 'Exit code `command` must return.' })),
  hostKeyFingerprint: Type.Optional(Type.String({
    pattern: '^(SHA256:)?[A-Za-z0-9+/]{43}=?$',
    description: 'Expected host key fingerprint as OpenSSH prints it ("SHA256:…", from `ssh-keygen -lf`); down on any other key.',
  })),
}, { additionalProperties: false });

export const sshChecker = defineChecker({
  type: 'ssh',
  title: 'SSH server: handshake, host key, login and command',
  configSchema: SshConfigSchema,
  describeTarget: (written) => {
    const config = applyDefaults(written, sshDefaults);
    return `ssh://${config.username ? `${config.username}@` : ''}${config.host}:${config.port}`;
  },
  run: async (written, ctx) => {
    const { Client } = await import('ssh2'); // loaded on first use (registry.ts)
    const config = applyDefaults(written, sshDefaults);
    const deadline = deadlineFor(ctx);
    const stopwatch = startStopwatch();
    const timings: Record<string, number> = {};
    const client = new Client();
    const destroy = () => client.destroy();
    try {
      if (config.command !== undefined && config.username === undefined) {
        return { up: false, latencyMs: null, detail: 'a command needs a username to log in with' };
      }
      const login = config.username === undefined ? undefined : {
        username: config.username, password: config.password, privateKey: config.privateKey, passphrase: config.passphrase,
      };
      const session = await abortable(openSession(client, {
        host: config.host, port: config.port, readyTimeoutMs: ctx.timeoutMs, expectedFingerprint: config.hostKeyFingerprint,
      }, login), deadline.signal, destroy);
      timings.sessionMs = stopwatch.elapsedMs();
      const server = session.serverSoftware ?? 'server';
      if (config.command === undefined) {
        const latencyMs = stopwatch.elapsedMs();
        const how = login ? `accepted the login of '${login.username}'` : 'completed the handshake';
        return { up: true, latencyMs, detail: `SSH ${server} ${how} in ${formatMs(latencyMs)}`, timings };
      }
      const result = await abortable(runCommand(client, config.command), deadline.signal, destroy);
      const latencyMs = stopwatch.elapsedMs();
      return { ...judgeCommand(result, config.expectedExitCode, latencyMs), timings };
    } catch (err) {
      const detail = deadline.signal.aborted ? deadline.timedOutDetail : describeSshError(err, config.username);
      return { up: false, latencyMs: null, detail, timings };
    } finally {
      client.end();
      destroy();
    }
  },
});

function judgeCommand(result: CommandResult, expectedExitCode: number, latencyMs: number): CheckOutcome {
  const output = result.output ? `: ${result.output.split('\n')[0].slice(0, 200)}` : '';
  if (result.exitCode === expectedExitCode) {
    return { up: true, latencyMs, detail: `command exited with ${result.exitCode} in ${formatMs(latencyMs)}` };
  }
  if (result.exitCode === null) {
    const how = result.signal ? `was killed by signal ${result.signal}` : 'ended without an exit code';
    return { up: false, latencyMs, detail: `command ${how}${output}` };
  }
  return { up: false, latencyMs, detail: `command exited with ${result.exitCode}, expected ${expectedExitCode}${output}` };
}

function describeSshError(err: unknown, username: string | undefined): string {
  if (err instanceof HostKeyMismatch) return err.message;
  const level = (err as { level?: unknown }).level;
  if (level === 'client-authentication') return `authentication failed for user '${username}'`;
  if (level === 'client-timeout') return 'timed out waiting for the SSH handshake';
  const message = err instanceof Error ? err.message : String(err);
  if (/privateKey|parse/i.test(message) && !level) return `private key not usable: ${message}`;
  return describeNetworkError(err);
}
