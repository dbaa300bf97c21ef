// Starts smtp-server.py (aiosmtpd from Debian's python3-aiosmtpd) for the SMTP checker's tests.
import { fileURLToPath } from 'node:url';
import { startServerProcess } from './server-process.js';
import type { TestCertificate } from './tls-certificate.js';

/** Debian's interpreter, which sees Debian's python3-aiosmtpd (a pyenv python3 on PATH would not). */
export const debianPython = '/usr/bin/python3';
export const aiosmtpdPath = '/usr/lib/python3/dist-packages/aiosmtpd/smtp.py';

export interface SmtpServerOptions {
  ident?: string;
  /** Offer STARTTLS with this certificate (or, with implicitTls, speak TLS from the start). */
  certificate?: TestCertificate;
  implicitTls?: boolean;
  auth?: { user: string; password: string };
  /** Offer AUTH LOGIN but not PLAIN. */
  loginOnly?: boolean;
}

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<{ port: number; stop(): Promise<void> }> {
  const args = [fileURLToPath(new URL('./smtp-server.py', import.meta.url))];
  if (options.ident) args.push('--ident', options.ident);
  if (options.certificate) args.push('--cert', options.certificate.certPath, '--key', options.certificate.keyPath);
  if (options.implicitTls) args.push('--implicit-tls');
  if (options.loginOnly) args.push('--login-only');
  if (options.auth) args.push('--user', options.auth.user, '--password', options.auth.password);
  const server = await startServerProcess(debianPython, args, /LISTENING (\d+)/);
  return { port: Number(server.ready[1]), stop: server.stop };
}
