// Starts smtp-recorder.py (aiosmtpd from Debian's python3-aiosmtpd) and reads back the messages
// it received, for the email notifier's tests.
import { fileURLToPath } from 'node:url';
import { startServerProcess } from '../../checks/test-support/server-process.js';
import { debianPython } from '../../checks/test-support/smtp-server.js';

export interface ReceivedMail {
  mail_from: string;
  rcpt_tos: string[];
  subject: string;
  from: string;
  to: string;
  cc: string | null;
  message_id: string;
  x_tocsin_event: string | null;
  content_type: string;
  text: string | null;
  html: string | null;
}

export interface SmtpRecorder {
  port: number;
  /** Every message reported so far, oldest first. */
  received(): ReceivedMail[];
  /**
   * The index-th message (0-based), waiting for its report: the server's 250 reply can reach the
   * client before its stdout line reaches us.
   */
  mail(index: number, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

export async function startSmtpRecorder(auth?: { user: string; password: string }): Promise<SmtpRecorder> {
  const args = [fileURLToPath(new URL('./smtp-recorder.py', import.meta.url))];
  if (auth) args.push('--user', auth.user, '--password', auth.password);
  const server = await startServerProcess(debianPython, args, /LISTENING (\d+)/);
  const received = () => server.output().split('\n')
    .filter((line) => line.startsWith('MESSAGE ') && line.endsWith('}'))
    .map((line) => JSON.parse(line.slice('MESSAGE '.length)) as ReceivedMail);
  const mail = async (index: number, timeoutMs = 2000) => {
    const deadline = Date.now() + timeoutMs;
    while (received().length <= index) {
      if (Date.now() > deadline) throw new Error(`no message #${index} within ${timeoutMs} ms; output:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return received()[index];
  };
  return { port: Number(server.ready[1]), received, mail, stop: server.stop };
}
