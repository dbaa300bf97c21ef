// Helpers for the NotifierDefinition.secretFields contract (dotted paths into the config), for the
// layers that store configs encrypted and show them redacted.

export const redacted = '********';

/** A copy of the config with every secret field that is present replaced by `redacted`. */
export function redactSecrets(config: Record<string, unknown>, secretFields: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(config);
  for (const path of secretFields) {
    const keys = path.split('.');
    let holder: Record<string, unknown> | undefined = copy;
    for (const key of keys.slice(0, -1)) {
      const next: unknown = holder?.[key];
      holder = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : undefined;
    }
    const last = keys[keys.length - 1];
    if (holder && holder[last] !== undefined) holder[last] = redacted;
  }
  return copy;
}
