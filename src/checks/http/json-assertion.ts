// Judges a JSON response body against `json: { path, operator, value }`. Equality compares as text
// so that 5 and "5", or true and "true", are equal: APIs are loose about number and boolean types.
import { parseJsonPath, selectJsonPath } from './json-path.js';

export type JsonOperator = '==' | '!=' | '<' | '>' | 'contains';
export type JsonExpected = string | number | boolean | null;

export interface JsonAssertion {
  path: string;
  operator?: JsonOperator;
  value: JsonExpected;
}

/** Null when the assertion holds, otherwise the sentence explaining why not. */
export function checkJsonAssertion(bodyText: string, assertion: JsonAssertion, bodyTruncated: boolean): string | null {
  const steps = parseJsonPath(assertion.path);
  if (!steps) return `invalid JSON path ${assertion.path}`;
  let document: unknown;
  try {
    document = JSON.parse(bodyText);
  } catch {
    return bodyTruncated ? 'response is not valid JSON (only the first 1 MB was read)' : 'response is not valid JSON';
  }
  const actual = selectJsonPath(document, steps);
  if (actual === undefined) return `JSON path ${assertion.path} not found`;
  const operator = assertion.operator ?? '==';
  const failure = compare(actual, operator, assertion.value);
  if (failure === null) return null;
  return `JSON ${assertion.path} is ${show(actual)}, expected ${operator} ${show(assertion.value)}${failure ? ` (${failure})` : ''}`;
}

// Null when it holds, '' when it simply does not, or a reason ("not a number").
function compare(actual: unknown, operator: JsonOperator, expected: JsonExpected): string | null {
  switch (operator) {
    case '==':
      return sameText(actual, expected) ? null : '';
    case '!=':
      return sameText(actual, expected) ? '' : null;
    case '<':
    case '>': {
      const left = asNumber(actual);
      const right = asNumber(expected);
      if (left === null || right === null) return 'not a number';
      return (operator === '<' ? left < right : left > right) ? null : '';
    }
    case 'contains':
      if (typeof actual === 'string') return actual.includes(String(expected)) ? null : '';
      if (Array.isArray(actual)) return actual.some((item) => sameText(item, expected)) ? null : '';
      return 'not a string or array';
  }
}

function sameText(actual: unknown, expected: JsonExpected): boolean {
  if (actual !== null && typeof actual === 'object') return false;
  return String(actual) === String(expected);
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
