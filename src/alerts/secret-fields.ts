// Splits a notifier config into what may be stored and shown as is, and its secret fields (the
// notifier's `secretFields`, dotted paths), which are stored encrypted and never shown.
import { redacted } from '../notifiers/secrets.js';

type Config = Record<string, unknown>;

function holderOf(config: Config, path: string, create: boolean): { holder: Config; last: string } | undefined {
  const keys = path.split('.');
  let holder: Config = config;
  for (const key of keys.slice(0, -1)) {
    let next = holder[key];
    if (typeof next !== 'object' || next === null) {
      if (!create) return undefined;
      next = {};
      holder[key] = next;
    }
    holder = next as Config;
  }
  return { holder, last: keys[keys.length - 1] };
}

/** The config without its secrets, and the secrets by path (only those present). */
export function splitSecrets(config: Config, secretFields: readonly string[]): { plain: Config; secrets: Record<string, unknown> } {
  const plain = structuredClone(config);
  const secrets: Record<string, unknown> = {};
  for (const path of secretFields) {
    const found = holderOf(plain, path, false);
    if (!found || found.holder[found.last] === undefined) continue;
    secrets[path] = found.holder[found.last];
    delete found.holder[found.last];
  }
  return { plain, secrets };
}

export function mergeSecrets(plain: Config, secrets: Record<string, unknown>): Config {
  const config = structuredClone(plain);
  for (const [path, value] of Object.entries(secrets)) {
    const found = holderOf(config, path, true)!;
    found.holder[found.last] = value;
  }
  return config;
}

/**
 * For updates: a secret field sent back as the redaction marker ("********") keeps its stored
 * value, so a client can edit a channel it read without knowing its secrets.
 */
export function keepRedactedSecrets(next: Config, current: Config, secretFields: readonly string[]): Config {
  const out = structuredClone(next);
  const currentSecrets = splitSecrets(current, secretFields).secrets;
  for (const path of secretFields) {
    const found = holderOf(out, path, false);
    if (found && found.holder[found.last] === redacted && path in currentSecrets) found.holder[found.last] = currentSecrets[path];
  }
  return out;
}
