// X (Twitter) API v2 create post (https://docs.x.com/x-api/posts/create-post): POST /2/tweets
// with {"text"} signed with OAuth 1.0a user context (consumer key/secret of the app, access
// token/secret of the posting account). The post is the title, the cause, the time and the link,
// fitted to 280 weighted characters. The time makes each event's text unique, so when X refuses
// a retry as duplicate content the earlier attempt did get through, and that counts as delivered.
import { randomBytes } from 'node:crypto';
import Type from 'typebox';
import { httpUrlField, joinUrl, secretField, templateField } from '../shared/config-fields.js';
import { sendHttp, type HttpAnswer } from '../shared/http-request.js';
import { retryAfterMs } from '../shared/retry-after.js';
import { isoTime } from '../render/view-model.js';
import { DeliveryError, defineNotifier } from '../types.js';
import { oauthAuthorization } from './oauth1.js';
import { composeTweet } from './tweet-text.js';

export const xConfigSchema = Type.Object({
  consumerKey: secretField('API key of the app'),
  consumerSecret: secretField('API key secret'),
  accessToken: secretField('Access token of the posting account'),
  accessTokenSecret: secretField('Access token secret'),
  baseUrl: Type.Optional(httpUrlField('API base URL', 'https://api.x.com')),
  template: templateField,
}, { additionalProperties: false });

/** X says when the rate-limit window resets (x-rate-limit-reset, Unix seconds) instead of Retry-After. */
function rateLimitWait(answer: HttpAnswer, now: number): number | undefined {
  const reset = Number(answer.headers['x-rate-limit-reset']);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : retryAfterMs(answer, now);
}

export const xNotifier = defineNotifier({
  type: 'x',
  title: 'X (Twitter)',
  configSchema: xConfigSchema,
  secretFields: ['consumerKey', 'consumerSecret', 'accessToken', 'accessTokenSecret'],
  async send({ event, message, config }, ctx) {
    const url = joinUrl(config.baseUrl ?? 'https://api.x.com', '2/tweets');
    const lines = [message.title, ...(event.cause ? [event.cause] : []), isoTime(event.at)];
    const text = composeTweet(lines, event.link);
    const authorization = oauthAuthorization({
      method: 'POST',
      url,
      credentials: { consumerKey: config.consumerKey, consumerSecret: config.consumerSecret, token: config.accessToken, tokenSecret: config.accessTokenSecret },
      nonce: randomBytes(16).toString('hex'),
      timestamp: Math.floor(ctx.now() / 1000),
    });
    try {
      const answer = await sendHttp({ provider: 'X', url, headers: { authorization }, json: { text }, ctx, retryAfterMs: rateLimitWait });
      const id = (answer.json as { data?: { id?: unknown } } | undefined)?.data?.id;
      return { status: answer.status, detail: 'posted', ...(typeof id === 'string' ? { externalId: id } : {}) };
    } catch (err) {
      if (err instanceof DeliveryError && err.status === 403 && /duplicate content/i.test(err.message)) {
        return { status: 403, detail: 'already posted (X refused the repeat as duplicate content)' };
      }
      throw err;
    }
  },
});
