// Reads and validates the YAML config file. `${VAR}` / `${VAR:-default}` are replaced from the
// environment inside values (never in keys), and a key ending in `_file` reads its value from the
// named file (for secrets). Every error names the key and the line.
import { readFileSync } from 'node:fs';
import YAML, { isMap, isScalar, LineCounter, type Document, type Node } from 'yaml';
import { normalizeService } from '../../catalog/service-input.js';
import { AppError } from '../../domain/errors.js';
import { nulMessage, nulPath, schemaErrors, type FieldError } from '../../domain/validation.js';
import { configFileSchema, type ConfigFile } from './config-file-schema.js';

export class ConfigFileError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigFileError';
  }
}

type Env = Record<string, string | undefined>;

function substitute(doc: Document, env: Env, lines: LineCounter, problems: string[]): void {
  const where = (node: Node) => (node.range ? `line ${lines.linePos(node.range[0]).line}` : 'somewhere');
  YAML.visit(doc, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string' || !/_file$/i.test(pair.key.value)) return;
      const name = pair.key.value.replace(/_file$/i, '');
      const path = isScalar(pair.value) ? String(pair.value.value) : '';
      try {
        pair.key.value = name;
        if (isScalar(pair.value)) pair.value.value = readFileSync(path, 'utf8').trim();
      } catch (err) {
        problems.push(`${where(pair.key)}: ${name}_file: cannot read "${path}" (${(err as Error).message})`);
      }
    },
    Scalar(key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      node.value = node.value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
        const value = env[name] ?? fallback;
        if (value === undefined) problems.push(`${where(node)}: environment variable ${name} is not set (write \${${name}:-default} for a default)`);
        return value ?? '';
      });
    },
  });
}

function locate(doc: Document, lines: LineCounter, path: string): string {
  const keys = path.split('/').filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  for (let n = keys.length; n >= 0; n--) {
    const node = doc.getIn(keys.slice(0, n), true) as Node | undefined;
    if (node && (node as Node).range) return `line ${lines.linePos(node.range![0]).line}`;
  }
  return 'line 1';
}

function label(path: string): string {
  return path.split('/').filter(Boolean).map((k) => (/^\d+$/.test(k) ? `[${k}]` : `.${k}`)).join('').replace(/^\./, '') || '(top level)';
}

/** Parses and fully validates a config file's text; throws ConfigFileError with every problem. */
export function parseConfigText(text: string, file: string, env: Env): ConfigFile {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigFileError(file, doc.errors.map((e) => e.message.split('\n')[0]));
  const problems: string[] = [];
  substitute(doc, env, lines, problems);
  if (problems.length > 0) throw new ConfigFileError(file, problems);
  if (doc.contents !== null && !isMap(doc.contents)) throw new ConfigFileError(file, ['line 1: the file must be a mapping (namespaces:, channels:, ...)']);
  let data: ConfigFile;
  try {
    // Throws when aliases expand past the library's limit (a "billion laughs" file).
    data = (doc.toJS({ maxAliasCount: 1000 }) ?? {}) as ConfigFile;
  } catch (err) {
    throw new ConfigFileError(file, [`the file could not be read as data: ${(err as Error).message}`]);
  }
  const report = (errors: FieldError[]) => errors.forEach((e) => {
    // Point at the offending key itself when there is one.
    const unknown = /^unknown field: ([^,]+)$/.exec(e.message);
    const at = unknown ? `${e.path.replace(/\/$/, '')}/${unknown[1]}` : e.path;
    problems.push(`${locate(doc, lines, at)}: ${label(e.path)}: ${e.message}`);
  });
  report(schemaErrors(configFileSchema(), data));
  if (problems.length === 0) report(deepChecks(data));
  if (problems.length > 0) throw new ConfigFileError(file, problems);
  return data;
}

/** Checks the schema cannot express: NUL characters, type-specific service options and duplicate slugs. */
function deepChecks(data: ConfigFile): FieldError[] {
  const errors: FieldError[] = [];
  const nul = nulPath(data);
  if (nul !== null) errors.push({ path: nul, message: nulMessage });
  const dup = (slugs: string[], base: string) => slugs.forEach((s, i) => {
    if (slugs.indexOf(s) !== i) errors.push({ path: `${base}/${i}/slug`, message: `duplicate slug "${s}"` });
  });
  dup((data.namespaces ?? []).map((n) => n.slug), '/namespaces');
  (data.namespaces ?? []).forEach((ns, i) => {
    dup((ns.projects ?? []).map((p) => p.slug), `/namespaces/${i}/projects`);
    (ns.projects ?? []).forEach((project, j) => {
      const base = `/namespaces/${i}/projects/${j}/services`;
      dup((project.services ?? []).map((s) => s.slug), base);
      (project.services ?? []).forEach((service, k) => {
        try {
          normalizeService(service);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          const details = Array.isArray(err.details) ? (err.details as FieldError[]) : [{ path: '', message: err.message }];
          for (const d of details) errors.push({ path: `${base}/${k}${d.path === '/' ? '' : d.path}`, message: d.message });
        }
      });
    });
  });
  return errors;
}

export function loadConfigFile(file: string, env: Env): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigFileError(file, [`cannot read the file (${(err as Error).message})`]);
  }
  return parseConfigText(text, file, env);
}
