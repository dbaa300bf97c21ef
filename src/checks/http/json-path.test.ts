import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkJsonAssertion } from './json-assertion.js';
import { jsonPathPattern, parseJsonPath, selectJsonPath } from './json-path.js';

describe('json path subset', () => {
  it('parses names, indexes and quoted names', () => {
    assert.deepEqual(parseJsonPath('$'), []);
    assert.deepEqual(parseJsonPath('$.a.b[0].c'), ['a', 'b', 0, 'c']);
    assert.deepEqual(parseJsonPath(`$["display-name"]['x.y'][12]`), ['display-name', 'x.y', 12]);
  });

  it('rejects what the subset does not support, like the schema pattern does', () => {
    for (const path of ['a.b', '$..a', '$.a[*]', '$[-1]', '$.', '$.a[']) {
      assert.equal(parseJsonPath(path), null, path);
      assert.equal(new RegExp(jsonPathPattern).test(path), false, path);
    }
  });

  it('selects values and returns undefined for missing steps', () => {
    const doc = { a: { b: [{ c: 1 }], n: null } };
    assert.equal(selectJsonPath(doc, ['a', 'b', 0, 'c']), 1);
    assert.equal(selectJsonPath(doc, ['a', 'n']), null);
    assert.equal(selectJsonPath(doc, ['a', 'b', 1]), undefined);
    assert.equal(selectJsonPath(doc, ['a', 'toString']), undefined);
  });

  it('compares as documented', () => {
    const body = JSON.stringify({ n: 5, s: '7', ok: true, list: [1, 2], text: 'hello world', obj: {} });
    const holds = (path: string, operator: '==' | '!=' | '<' | '>' | 'contains', value: string | number | boolean | null) =>
      checkJsonAssertion(body, { path, operator, value }, false);
    assert.equal(holds('$.n', '==', '5'), null);
    assert.equal(holds('$.ok', '==', 'true'), null);
    assert.equal(holds('$.n', '!=', 6), null);
    assert.equal(holds('$.s', '>', 6), null);
    assert.equal(holds('$.n', '<', 5), 'JSON $.n is 5, expected < 5');
    assert.equal(holds('$.text', '<', 5), 'JSON $.text is "hello world", expected < 5 (not a number)');
    assert.equal(holds('$.list', 'contains', '2'), null);
    assert.equal(holds('$.text', 'contains', 'world'), null);
    assert.equal(holds('$.obj', 'contains', 'x'), 'JSON $.obj is {}, expected contains "x" (not a string or array)');
    assert.equal(checkJsonAssertion('{"a":', { path: '$.a', value: 1 }, true), 'response is not valid JSON (only the first 1 MB was read)');
  });
});
