// Configs are stored and handed to checkers as the user wrote them: the API and the config file
// validate them but do not fill in schema defaults. So options with a default are optional in
// the schema (which documents the default) and a checker applies its defaults when it runs.

/** `config` with every field of `defaults` filled in where the config leaves it undefined. */
export type WithDefaults<C, D> = Omit<C, keyof D> & { [K in keyof D & keyof C]-?: Exclude<C[K], undefined> };

export function applyDefaults<C extends object, D extends Partial<C>>(config: C, defaults: D): WithDefaults<C, D> {
  const filled: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const [key, value] of Object.entries(defaults)) {
    if (filled[key] === undefined) filled[key] = value;
  }
  return filled as WithDefaults<C, D>;
}
