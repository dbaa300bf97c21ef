// Generic webhook: sends the event and its rendered message as JSON to any URL. With a `secret`,
// every request is signed so the receiver can check it came from us and is fresh:
//   X-Tocsin-Timestamp: <unix seconds>
//   X-Tocsin-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
// The timestamp is inside the signed bytes, so a captured request cannot be replayed later with a
// new timestamp; receivers should reject timestamps more than a few minutes old.
// X-Tocsin-Key is the same for every retry of one event (use it to drop duplicates).
import { createHmac } from 'node:crypto';
import Type from 'typebox';
import { eventKey } from '../shared/event-key.js';
import { httpUrlField, secretField, templateField } from '../shared/config-fields.js';
import { sendHttp } from '../shared/http-request.js';
import { defineNotifier, type ConfigError } from '../types.js';

export const webhookConfigSchema = Type.Object({
  url: httpUrlField('URL that receives the POST'),
  method: Type.Optional(Type.Union([Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('PATCH')], { default: 'POST' })),
  headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Extra request headers, e.g. Authorization' })),
  secret: Type.Optional(secretField('Signs each request (X-Tocsin-Signature)')),
  template: templateField,
}, { additionalProperties: false });

const headerName = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const reservedHeaders = new Set(['content-type', 'content-length', 'host', 'transfer-encoding', 'connection']);

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export const webhookNotifier = defineNotifier({
  type: 'webhook',
  title: 'Webhook (JSON)',
  configSchema: webhookConfigSchema,
  secretFields: ['url', 'headers', 'secret'],
  checkConfig(config) {
    const errors: ConfigError[] = [];
    for (const name of Object.keys(config.headers ?? {})) {
      const lower = name.toLowerCase();
      if (!headerName.test(name)) errors.push({ path: `/headers/${name}`, message: 'not a valid HTTP header name' });
      else if (reservedHeaders.has(lower) || lower.startsWith('x-tocsin-')) errors.push({ path: `/headers/${name}`, message: 'this header is set by Tocsin' });
    }
    return errors;
  },
  async send({ event, message, config }, ctx) {
    const key = eventKey(event);
    const body = JSON.stringify({ version: 1, key, event, message });
    const timestamp = String(Math.floor(ctx.now() / 1000));
    const headers: Record<string, string> = {
      ...config.headers,
      'content-type': 'application/json',
      'x-tocsin-event': event.kind,
      'x-tocsin-key': key,
      'x-tocsin-timestamp': timestamp,
    };
    if (config.secret) headers['x-tocsin-signature'] = signWebhook(config.secret, timestamp, body);
    const answer = await sendHttp({ provider: 'Webhook', method: config.method ?? 'POST', url: config.url, headers, rawBody: body, ctx });
    return { status: answer.status, detail: `HTTP ${answer.status}` };
  },
});
