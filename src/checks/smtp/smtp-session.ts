// A minimal SMTP client conversation over one socket: read (multi-line) replies, send commands,
// upgrade to TLS after STARTTLS. Just enough to probe a server; it never sends mail.
import type { Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export interface SmtpReply {
  code: number;
  /** The text of each reply line, without the code and separator. */
  lines: string[];
}

/** The reply as one line for messages: "250 mail.example.com". */
export function replyText(reply: SmtpReply): string {
  return `${reply.code} ${reply.lines.join(' ')}`.trim();
}

// A line longer than this without CRLF is not SMTP (RFC 5321 allows 512 octets per reply line).
const maxPendingBytes = 64 * 1024;
// Lines waiting for the end of a reply. An EHLO reply has a dozen; a server that sends "250-"
// lines without end would otherwise fill memory until the check's timeout.
const maxPendingLines = 1000;

export class SmtpSession {
  private buffered = '';
  private pendingLines: string[] = [];
  private waiter: { resolve(reply: SmtpReply): void; reject(err: Error): void } | null = null;
  private failure: Error | null = null;
  private readonly onData = (chunk: Buffer) => this.receive(chunk.toString('latin1'));
  private readonly onError = (err: Error) => this.fail(err);
  private readonly onClose = () => this.fail(new Error('server closed the connection'));

  private socket: Socket | TLSSocket;

  constructor(private readonly rawSocket: Socket) {
    this.socket = rawSocket;
    // Errors of the raw socket surface through the TLS socket once upgraded; never leave it without a handler.
    rawSocket.on('error', () => {});
    this.listen();
  }

  /** The next reply; one that arrived before the server hung up is still delivered. */
  readReply(): Promise<SmtpReply> {
    const reply = this.takeReply();
    if (reply) return Promise.resolve(reply);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  async command(line: string): Promise<SmtpReply> {
    if (this.failure) throw this.failure;
    this.socket.write(`${line}\r\n`);
    return this.readReply();
  }

  /** Wraps the socket in TLS (after the server's 220 to STARTTLS) and resolves once it is secure. */
  async upgradeToTls(servername: string, rejectUnauthorized: boolean): Promise<void> {
    this.unlisten();
    const secure = tlsConnect({ socket: this.rawSocket, servername: tlsServername(servername), rejectUnauthorized });
    this.socket = secure;
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
      secure.once('close', () => reject(new Error('server closed the connection during the TLS handshake')));
    });
    secure.removeAllListeners('secureConnect');
    secure.removeAllListeners('error');
    secure.removeAllListeners('close');
    this.listen();
  }

  /** Fails what is pending with `reason` and destroys the socket. */
  close(reason = new Error('session closed')): void {
    this.fail(reason);
    this.rawSocket.destroy();
  }

  private listen(): void {
    this.socket.on('data', this.onData);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
  }

  private unlisten(): void {
    this.socket.off('data', this.onData);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
  }

  private receive(text: string): void {
    this.buffered += text;
    let end: number;
    while ((end = this.buffered.indexOf('\n')) >= 0) {
      this.pendingLines.push(this.buffered.slice(0, end).replace(/\r$/, ''));
      this.buffered = this.buffered.slice(end + 1);
    }
    if (this.buffered.length > maxPendingBytes) {
      this.fail(new Error('server sent a line too long for SMTP'));
      return;
    }
    if (this.pendingLines.length > maxPendingLines) {
      this.fail(new Error(`server sent a reply of more than ${maxPendingLines} lines`));
      return;
    }
    const reply = this.waiter && this.takeReply();
    if (reply && this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve(reply);
    }
  }

  /** Removes and returns the first complete reply ("250-a", "250-b", "250 c"), if one arrived. */
  private takeReply(): SmtpReply | null {
    const last = this.pendingLines.findIndex((line) => !/^\d{3}-/.test(line));
    if (last < 0) return null;
    const lines = this.pendingLines.splice(0, last + 1);
    const finalLine = lines[last];
    const code = /^\d{3}( |$)/.test(finalLine) ? Number(finalLine.slice(0, 3)) : NaN;
    if (Number.isNaN(code)) {
      this.fail(new Error(`server sent something that is not SMTP: "${finalLine.slice(0, 80)}"`));
      return null;
    }
    return { code, lines: lines.map((line) => line.slice(4)) };
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.socket.destroy();
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = null;
      reject(err);
    }
  }
}

/** SNI must be a host name, never an IP address (Node warns and servers ignore it). */
export function tlsServername(host: string): string | undefined {
  return /^[\d.]+$/.test(host) || host.includes(':') ? undefined : host;
}
