import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rootCertificates } from 'node:tls';
import { contextTrusting } from './trusted-ca.js';

describe('contexts trusting a monitor CA', () => {
  it('builds one context per CA and reuses it', () => {
    const [a, b] = rootCertificates;
    const first = contextTrusting(a);
    assert.equal(contextTrusting(a), first);
    assert.notEqual(contextTrusting(b), first);
  });
});
