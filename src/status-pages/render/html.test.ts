import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html, raw } from './html.js';

describe('html template', () => {
  it('escapes every interpolation, nests templates and arrays, drops null/false', () => {
    const name = '<script>alert("x")</script> & \'co\'';
    const out = html`<p title="${name}">${name}</p>${[html`<b>${1}</b>`, 'a<b']}${null}${false}${raw('<hr>')}`;
    assert.equal(out.value, '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p><b>1</b>a&lt;b<hr>');
  });
});
