import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oauthAuthorization, oauthSignature, percentEncode, signatureBaseString, type SignatureInput } from './oauth1.js';

// The worked example of X's (Twitter's) "Creating a signature" documentation.
const documented: SignatureInput = {
  method: 'POST',
  url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
  credentials: {
    consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
    consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
    token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
    tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
  },
  nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
  timestamp: 1318622958,
  formParams: [['status', 'Hello Ladies + Gentlemen, a signed OAuth request!']],
};

describe('OAuth 1.0a signing', () => {
  it('percent-encodes as RFC 3986 says', () => {
    assert.equal(percentEncode("Ladies + Gentlemen, a signed OAuth request!*()'~"), "Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21%2A%28%29%27~");
    assert.equal(percentEncode('☃'), '%E2%98%83');
  });

  it('builds the documented signature base string', () => {
    assert.equal(signatureBaseString(documented), 'POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521');
  });

  it('produces the documented signature and header', () => {
    assert.equal(oauthSignature(documented), 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
    assert.equal(oauthAuthorization(documented), 'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"');
  });

  it('normalises the base URI: lower-case scheme and host, no default port', () => {
    const upper = signatureBaseString({ ...documented, url: 'HTTPS://API.Twitter.com:443/1.1/statuses/update.json?include_entities=true' });
    assert.equal(upper, signatureBaseString(documented));
    assert.match(signatureBaseString({ ...documented, url: 'http://127.0.0.1:8080/2/tweets' }), /^POST&http%3A%2F%2F127\.0\.0\.1%3A8080%2F2%2Ftweets&/);
  });
});
