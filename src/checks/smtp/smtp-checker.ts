// "smtp": talks to a mail server the way a sending client would (banner, EHLO, STARTTLS, AUTH,
// QUIT) without sending mail. A small hand-written client rather than nodemailer's
// SMTPConnection: a probe needs the banner text, each stage's outcome in its own words and
// per-stage timings, which SMTPConnection does not expose, and the conversation is short.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import Type from 'typebox';
import type { Static } from 'typebox';
import { abortable } from '../shared/abortable.js';
import { deadlineFor } from '../shared/deadline.js';
import { applyDefaults, type WithDefaults } from '../shared/defaults.js';
import { describeNetworkError } from '../shared/network-errors.js';
import { HostSchema, PortSchema } from '../shared/schemas.js';
import { formatMs, startStopwatch } from '../shared/stopwatch.js';
import { defineChecker, type CheckOutcome } from '../types.js';
import { authenticate } from './smtp-auth.js';
import { replyText, SmtpSession, tlsServername, type SmtpReply } from './smtp-session.js';

export const smtpDefaults = {
  port: 25,
  secure: false,
  starttls: 'optional',
  ignoreTls: false,
  ehloName: 'tocsin.localhost',
} as const;

const SmtpConfigSchema = Type.Object({
  host: HostSchema,
  port: Type.Optional(Type.Integer({ ...PortSchema, default: smtpDefaults.port, description: 'TCP port: 25 (relay), 587 (submission) or 465 (implicit TLS).' })),
  secure: Type.Optional(Type.Boolean({ default: smtpDefaults.secure, description: 'Speak TLS from the first byte (SMTPS, usually port 465).' })),
  starttls: Type.Optional(Type.Union([Type.Literal('require'), Type.Literal('optional'), Type.Literal('never')], {
    default: smtpDefaults.starttls,
    description: 'STARTTLS on a plain connection: "require" (down when not offered), "optional" (use it when offered) or "never".',
  })),
  ignoreTls: Type.Optional(Type.Boolean({ default: smtpDefaults.ignoreTls, description: 'Skip TLS certificate verification (chain, host name, dates).' })),
  username: Type.Optional(Type.String({ minLength: 1, description: 'Log in with AUTH PLAIN or LOGIN as this user.' })),
  password: Type.Optional(Type.String({ description: 'Password for `username`.' })),
  expectedBanner: Type.Optional(Type.String({ minLength: 1, description: 'Text the 220 greeting must contain.' })),
  ehloName: Type.Optional(Type.String({ minLength: 1, default: smtpDefaults.ehloName, description: 'Name we announce in EHLO.' })),
}, { additionalProperties: false });

type SmtpConfig = WithDefaults<Static<typeof SmtpConfigSchema>, typeof smtpDefaults>;

export const smtpChecker = defineChecker({
  type: 'smtp',
  title: 'SMTP server: banner, EHLO, STARTTLS and optional login',
  configSchema: SmtpConfigSchema,
  describeTarget: (written) => {
    const config = applyDefaults(written, smtpDefaults);
    return `smtp${config.secure ? 's' : ''}://${config.host}:${config.port}`;
  },
  run: async (written, ctx) => {
    const config: SmtpConfig = applyDefaults(written, smtpDefaults);
    const deadline = deadlineFor(ctx);
    const stopwatch = startStopwatch();
    const timings: Record<string, number> = {};
    let session: SmtpSession | undefined;
    try {
      const socket = openSocket(config);
      await abortable(connected(socket, config.secure), deadline.signal, () => socket.destroy());
      timings.connectMs = stopwatch.elapsedMs();
      session = new SmtpSession(socket);
      const live = session;
      return await abortable(converse(config, live, stopwatch, timings), deadline.signal, () => live.close());
    } catch (err) {
      const detail = deadline.signal.aborted ? deadline.timedOutDetail : describeNetworkError(err);
      return { up: false, latencyMs: null, detail, timings };
    } finally {
      session?.close();
    }
  },
});

function openSocket(config: SmtpConfig): Socket {
  return config.secure
    ? tlsConnect({ host: config.host, port: config.port, servername: tlsServername(config.host), rejectUnauthorized: !config.ignoreTls })
    : netConnect({ host: config.host, port: config.port });
}

/** Resolves once connected (and, for implicit TLS, the handshake is done); destroys the socket on failure. */
function connected(socket: Socket, secure: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

async function converse(
  config: SmtpConfig,
  session: SmtpSession,
  stopwatch: { elapsedMs(): number },
  timings: Record<string, number>,
): Promise<CheckOutcome> {
  const down = (detail: string): CheckOutcome => ({ up: false, latencyMs: stopwatch.elapsedMs(), detail, timings });
  const banner = await session.readReply();
  timings.bannerMs = stopwatch.elapsedMs();
  const bannerText = banner.lines.join(' ');
  if (banner.code !== 220) return down(`server refused the session: ${replyText(banner)}`);
  if (config.expectedBanner && !bannerText.includes(config.expectedBanner)) {
    return down(`banner "${bannerText}" does not contain "${config.expectedBanner}"`);
  }
  let ehlo = await session.command(`EHLO ${config.ehloName}`);
  if (ehlo.code !== 250) return down(`EHLO rejected: ${replyText(ehlo)}`);

  let encrypted = config.secure;
  if (!config.secure && config.starttls !== 'never') {
    const offered = hasExtension(ehlo, 'STARTTLS');
    if (!offered && config.starttls === 'require') return down('server does not offer STARTTLS');
    if (offered) {
      const reply = await session.command('STARTTLS');
      if (reply.code !== 220) return down(`STARTTLS rejected: ${replyText(reply)}`);
      await session.upgradeToTls(config.host, !config.ignoreTls);
      timings.tlsMs = stopwatch.elapsedMs();
      encrypted = true;
      ehlo = await session.command(`EHLO ${config.ehloName}`);
      if (ehlo.code !== 250) return down(`EHLO after STARTTLS rejected: ${replyText(ehlo)}`);
    }
  }

  if (config.username !== undefined) {
    const problem = await authenticate(session, ehlo, config.username, config.password ?? '');
    if (problem) return down(problem);
  }
  await session.command('QUIT').catch(() => {}); // a server that hangs up instead of saying 221 is still fine
  const latencyMs = stopwatch.elapsedMs();
  const how = [encrypted ? 'TLS' : 'no TLS', config.username !== undefined ? `logged in as '${config.username}'` : ''];
  return {
    up: true,
    latencyMs,
    detail: `SMTP ${bannerText.split(' ')[0] || config.host} answered in ${formatMs(latencyMs)} (${how.filter(Boolean).join(', ')})`,
    timings,
  };
}

/** Whether the EHLO reply lists `keyword` (its first line is the server's name, not an extension). */
export function hasExtension(ehlo: SmtpReply, keyword: string): boolean {
  return ehlo.lines.slice(1).some((line) => line.toUpperCase().split(' ')[0] === keyword);
}
