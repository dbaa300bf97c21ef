// SMTP AUTH (RFC 4954) with the two mechanisms every server that offers AUTH supports: PLAIN
// (preferred, one round trip) and LOGIN. Runs after STARTTLS when TLS is in use.
import { replyText, type SmtpReply, type SmtpSession } from './smtp-session.js';

/** null when the server accepted the login, otherwise why it did not, as a sentence. */
export async function authenticate(session: SmtpSession, ehlo: SmtpReply, username: string, password: string): Promise<string | null> {
  const mechanisms = offeredMechanisms(ehlo);
  if (mechanisms.length === 0) return 'server does not offer AUTH (some servers offer it only after STARTTLS)';
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  let reply: SmtpReply;
  if (mechanisms.includes('PLAIN')) {
    reply = await session.command(`AUTH PLAIN ${base64(`\0${username}\0${password}`)}`);
  } else if (mechanisms.includes('LOGIN')) {
    reply = await session.command('AUTH LOGIN');
    if (reply.code === 334) reply = await session.command(base64(username));
    if (reply.code === 334) reply = await session.command(base64(password));
  } else {
    return `server offers neither AUTH PLAIN nor LOGIN (offers ${mechanisms.join(', ')})`;
  }
  if (reply.code === 235) return null;
  return `authentication failed for user '${username}' (${replyText(reply)})`;
}

/** "250-AUTH PLAIN LOGIN" -> ["PLAIN", "LOGIN"]; also the old "AUTH=LOGIN" form. */
export function offeredMechanisms(ehlo: SmtpReply): string[] {
  const found = new Set<string>();
  for (const line of ehlo.lines.slice(1)) {
    const match = /^AUTH[ =](.*)$/i.exec(line);
    if (match) for (const name of match[1].trim().split(/\s+/)) found.add(name.toUpperCase());
  }
  return [...found];
}
