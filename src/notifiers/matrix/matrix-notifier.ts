// Matrix client-server API
// (https://spec.matrix.org/latest/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid):
// PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId} with a Bearer access token;
// plain `body` plus `formatted_body` in org.matrix.custom.html. The txnId is derived from the
// event, so a retry of the same delivery is recognised by the homeserver and not posted twice.
import Type from 'typebox';
import { eventKey } from '../shared/event-key.js';
import { httpUrlField, joinUrl, secretField, templateField } from '../shared/config-fields.js';
import { sendHttp } from '../shared/http-request.js';
import { escapeHtml, newlinesToBreaks } from '../shared/text.js';
import { defineNotifier } from '../types.js';

export const matrixConfigSchema = Type.Object({
  homeserverUrl: Type.Optional(httpUrlField('Client-server API base URL of the homeserver', 'https://matrix-client.matrix.org')),
  accessToken: secretField('Access token of the bot account (which must have joined the room)'),
  roomId: Type.String({ pattern: '^![^:]+:.+$', description: 'Room id, !abc123:example.org (not an #alias)' }),
  msgtype: Type.Optional(Type.Union([Type.Literal('m.text'), Type.Literal('m.notice')], { default: 'm.text', description: 'm.notice marks bot messages' })),
  template: templateField,
}, { additionalProperties: false });

export const matrixNotifier = defineNotifier({
  type: 'matrix',
  title: 'Matrix',
  configSchema: matrixConfigSchema,
  secretFields: ['accessToken'],
  async send({ event, message, config }, ctx) {
    const txnId = `tocsin-${eventKey(event)}`;
    const path = `_matrix/client/v3/rooms/${encodeURIComponent(config.roomId)}/send/m.room.message/${txnId}`;
    const content = {
      msgtype: config.msgtype ?? 'm.text',
      body: `${message.title}\n${message.text}`,
      format: 'org.matrix.custom.html',
      formatted_body: `<b>${escapeHtml(message.title)}</b><br>\n${newlinesToBreaks(message.html)}`,
    };
    const answer = await sendHttp({
      provider: 'Matrix',
      method: 'PUT',
      url: joinUrl(config.homeserverUrl ?? 'https://matrix-client.matrix.org', path),
      headers: { authorization: `Bearer ${config.accessToken}` },
      json: content,
      ctx,
    });
    const eventId = (answer.json as { event_id?: unknown } | undefined)?.event_id;
    return { status: answer.status, detail: 'sent', ...(typeof eventId === 'string' ? { externalId: eventId } : {}) };
  },
});
