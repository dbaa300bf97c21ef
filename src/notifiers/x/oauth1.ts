// OAuth 1.0a request signing (RFC 5849, HMAC-SHA1), as X's v2 API wants for user-context calls
// such as POST /2/tweets. A JSON body is not part of the signature (only form bodies are); the
// query string always is.
import { createHmac } from 'node:crypto';

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

export interface SignatureInput {
  method: string;
  url: string;
  credentials: OAuth1Credentials;
  /** Unique per request (RFC 5849 §3.3). */
  nonce: string;
  /** Unix seconds. */
  timestamp: number;
  /** application/x-www-form-urlencoded body parameters, if the body is a form. */
  formParams?: [string, string][];
}

/** RFC 3986 percent-encoding: everything but ALPHA / DIGIT / "-" / "." / "_" / "~". */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function oauthParams(input: SignatureInput): [string, string][] {
  return [
    ['oauth_consumer_key', input.credentials.consumerKey],
    ['oauth_nonce', input.nonce],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(input.timestamp)],
    ['oauth_token', input.credentials.token],
    ['oauth_version', '1.0'],
  ];
}

/** RFC 5849 §3.4.1: METHOD & encoded base URI & encoded sorted parameter string. */
export function signatureBaseString(input: SignatureInput): string {
  const url = new URL(input.url);
  // URL already lower-cases scheme and host and drops default ports, as §3.4.1.2 asks.
  const baseUri = `${url.protocol}//${url.host}${url.pathname}`;
  const params = [...oauthParams(input), ...(input.formParams ?? []), ...url.searchParams]
    .map(([key, value]) => [percentEncode(key), percentEncode(value)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return [input.method.toUpperCase(), percentEncode(baseUri), percentEncode(params)].join('&');
}

export function oauthSignature(input: SignatureInput): string {
  const key = `${percentEncode(input.credentials.consumerSecret)}&${percentEncode(input.credentials.tokenSecret)}`;
  return createHmac('sha1', key).update(signatureBaseString(input)).digest('base64');
}

/** The Authorization header value: OAuth oauth_consumer_key="...", ..., oauth_version="1.0". */
export function oauthAuthorization(input: SignatureInput): string {
  const params: [string, string][] = [...oauthParams(input), ['oauth_signature', oauthSignature(input)]];
  params.sort(([a], [b]) => (a < b ? -1 : 1));
  return `OAuth ${params.map(([key, value]) => `${percentEncode(key)}="${percentEncode(value)}"`).join(', ')}`;
}
