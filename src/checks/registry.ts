// Every checker Tocsin knows, by type. Adding a checker: a folder under checks/ and one line here.
import type { CheckerDefinition } from './types.js';
import { httpChecker } from './http/http-checker.js';

const definitions: CheckerDefinition<any>[] = [
  httpChecker,
];

export const checkers: ReadonlyMap<string, CheckerDefinition<any>> = new Map(definitions.map((d) => [d.type, d]));

export function getChecker(type: string): CheckerDefinition<any> | undefined {
  return checkers.get(type);
}

export function checkerTypes(): string[] {
  return [...checkers.keys()].sort();
}
