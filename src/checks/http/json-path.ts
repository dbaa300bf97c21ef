// A small JSONPath subset for response assertions: "$", then any of `.name`, `[0]`, `["name"]`
// or `['name']`, e.g. `$.data.items[0]["display-name"]`. No wildcards, filters or recursion.

export const jsonPathPattern = String.raw`^\$(\.[^.\[\]]+|\[[0-9]+\]|\["[^"]*"\]|\['[^']*'\])*$`;

type Step = string | number;

const stepPattern = /\.([^.[\]]+)|\[([0-9]+)\]|\["([^"]*)"\]|\['([^']*)'\]/y;

/** The steps of a path, or null when it is not in the supported subset. */
export function parseJsonPath(path: string): Step[] | null {
  if (!path.startsWith('$')) return null;
  const steps: Step[] = [];
  stepPattern.lastIndex = 1;
  while (stepPattern.lastIndex < path.length) {
    const match = stepPattern.exec(path);
    if (!match) return null;
    const [, name, index, doubleQuoted, singleQuoted] = match;
    steps.push(index !== undefined ? Number(index) : (name ?? doubleQuoted ?? singleQuoted));
  }
  return steps;
}

/** The value at the path, or undefined when any step is missing. */
export function selectJsonPath(document: unknown, steps: readonly Step[]): unknown {
  let current: unknown = document;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return undefined;
      current = current[step];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}
