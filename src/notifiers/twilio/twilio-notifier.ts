// SMS through Twilio's Messages API
// (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
// form-encoded POST with HTTP basic auth AccountSid:AuthToken, To plus From or
// MessagingServiceSid, and Body (title and text, cut to Twilio's 1600-character limit).
// One channel sends to one number, so a retry never texts the people who already got it.
import Type from 'typebox';
import { httpUrlField, joinUrl, secretField, templateField } from '../shared/config-fields.js';
import { sendHttp } from '../shared/http-request.js';
import { truncate } from '../shared/text.js';
import { defineNotifier } from '../types.js';

const e164 = '^\\+[1-9][0-9]{6,14}$';

export const twilioConfigSchema = Type.Object({
  accountSid: Type.String({ pattern: '^AC[0-9a-fA-F]{32}$', description: 'Account SID, AC...' }),
  authToken: secretField('Auth token'),
  to: Type.String({ pattern: e164, description: 'Recipient in E.164 form, +14155550100' }),
  from: Type.Optional(Type.String({ pattern: `${e164}|^[A-Za-z0-9 ]{1,11}$`, description: 'Twilio number (E.164) or alphanumeric sender id' })),
  messagingServiceSid: Type.Optional(Type.String({ pattern: '^MG[0-9a-fA-F]{32}$', description: 'Messaging Service SID, MG... (instead of from)' })),
  baseUrl: Type.Optional(httpUrlField('API base URL', 'https://api.twilio.com')),
  template: templateField,
}, { additionalProperties: false });

const maxBody = 1600;

export const twilioNotifier = defineNotifier({
  type: 'twilio',
  title: 'SMS (Twilio)',
  configSchema: twilioConfigSchema,
  secretFields: ['authToken'],
  checkConfig(config) {
    return config.from === undefined && config.messagingServiceSid === undefined
      ? [{ path: '/from', message: 'set from or messagingServiceSid' }]
      : [];
  },
  async send({ message, config }, ctx) {
    const url = joinUrl(config.baseUrl ?? 'https://api.twilio.com', `2010-04-01/Accounts/${config.accountSid}/Messages.json`);
    const credentials = Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64');
    const answer = await sendHttp({
      provider: 'Twilio',
      url,
      headers: { authorization: `Basic ${credentials}` },
      form: {
        To: config.to,
        // A Messaging Service picks the sender itself; Twilio wants one or the other.
        ...(config.messagingServiceSid ? { MessagingServiceSid: config.messagingServiceSid } : { From: config.from }),
        Body: truncate(`${message.title}\n${message.text}`, maxBody),
      },
      ctx,
    });
    const { sid, status } = (answer.json ?? {}) as { sid?: string; status?: string };
    return { status: answer.status, detail: status ? `message ${status}` : `HTTP ${answer.status}`, ...(sid ? { externalId: sid } : {}) };
  },
});
