// Email over SMTP with nodemailer: subject from the title, a text/plain and a text/html part.
// SMTP replies decide retries the RFC 5321 way: 5xx (but 503) is permanent, 4xx transient;
// connection, TLS and timeout problems are retryable, bad credentials and addresses are not.
// The Message-ID is derived from the event, so a retried delivery carries the same one.
import nodemailer from 'nodemailer';
import Type from 'typebox';
import { eventKey } from '../shared/event-key.js';
import { secretField, templateField } from '../shared/config-fields.js';
import { escapeHtml, newlinesToBreaks } from '../shared/text.js';
import { DeliveryError, defineNotifier } from '../types.js';

/** "ops@acme.com" or "Ops <ops@acme.com>". */
const address = Type.String({ pattern: '^(?:[^<>\\r\\n]*<[^<>@\\s]+@[^<>@\\s]+>|[^<>@\\s]+@[^<>@\\s]+)$' });

export const emailConfigSchema = Type.Object({
  host: Type.String({ minLength: 1, description: 'SMTP server host name' }),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Default 465 when secure, else 587' })),
  secure: Type.Optional(Type.Boolean({ description: 'TLS from the first byte (port 465); otherwise STARTTLS when offered' })),
  requireTls: Type.Optional(Type.Boolean({ description: 'Refuse to send unless STARTTLS succeeds' })),
  tlsRejectUnauthorized: Type.Optional(Type.Boolean({ description: 'Verify the server certificate (default true)' })),
  auth: Type.Optional(Type.Object({ user: Type.String({ minLength: 1 }), pass: secretField('SMTP password') }, { additionalProperties: false })),
  from: address,
  to: Type.Array(address, { minItems: 1, maxItems: 50 }),
  cc: Type.Optional(Type.Array(address, { maxItems: 50 })),
  template: templateField,
}, { additionalProperties: false });

const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, dnsTimeout: 10_000 };
const permanentCodes = new Set(['EAUTH', 'EENVELOPE', 'EMESSAGE']);

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

function domainOf(from: string): string {
  return /@([^>\s]+)>?$/.exec(from)?.[1] ?? 'tocsin.invalid';
}

function toDeliveryError(err: unknown): DeliveryError {
  const error = err as SmtpError;
  const reason = error.response ?? error.message ?? String(err);
  const permanent = error.responseCode !== undefined
    ? error.responseCode >= 500 && error.responseCode !== 503
    : permanentCodes.has(error.code ?? '');
  return new DeliveryError(`SMTP: ${reason}`, { permanent, status: error.responseCode, cause: err });
}

export const emailNotifier = defineNotifier({
  type: 'email',
  title: 'Email (SMTP)',
  configSchema: emailConfigSchema,
  secretFields: ['auth.pass'],
  async send({ event, message, config }, ctx) {
    const secure = config.secure ?? false;
    const transport = nodemailer.createTransport({
      host: config.host,
      port: config.port ?? (secure ? 465 : 587),
      secure,
      requireTLS: config.requireTls ?? false,
      tls: { rejectUnauthorized: config.tlsRejectUnauthorized ?? true },
      ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
      ...timeouts,
    });
    try {
      const info = await transport.sendMail({
        from: config.from,
        to: config.to,
        ...(config.cc ? { cc: config.cc } : {}),
        subject: message.title,
        text: message.text,
        html: `<div style="font-family: sans-serif"><p><b>${escapeHtml(message.title)}</b></p>\n<p>${newlinesToBreaks(message.html)}</p></div>`,
        messageId: `<${eventKey(event)}@${domainOf(config.from)}>`,
        headers: { 'X-Tocsin-Event': event.kind },
        signal: ctx.signal,
      });
      const rejected = (info.rejected ?? []).map(String);
      const detail = rejected.length > 0 ? `${info.response}; rejected: ${rejected.join(', ')}` : info.response;
      return { status: Number(/^\d{3}/.exec(info.response ?? '')?.[0] ?? 250), detail, externalId: info.messageId };
    } catch (err) {
      throw toDeliveryError(err);
    } finally {
      transport.close();
    }
  },
});
