// The connection fields the SQL checkers ("mysql", "postgres") share: a URL, and/or parts that
// override it, so a password can live outside the URL.
import Type from 'typebox';
import { HostSchema } from './schemas.js';
import { urlWithoutSecrets } from './url-credentials.js';

export function sqlConnectionProperties(defaultPort: number, exampleUrl: string) {
  return {
    url: Type.Optional(Type.String({ minLength: 1, description: `Connection URL, e.g. ${exampleUrl}; the fields below override its parts.` })),
    host: Type.Optional(HostSchema),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: `TCP port (default ${defaultPort}).` })),
    user: Type.Optional(Type.String({ minLength: 1, description: 'User name to log in as.' })),
    password: Type.Optional(Type.String({ description: 'Password of `user`.' })),
    database: Type.Optional(Type.String({ minLength: 1, description: 'Database to connect to.' })),
    query: Type.Optional(Type.String({ minLength: 1, description: 'SQL to run; without it the server version is asked for.' })),
    expectedValue: Type.Optional(Type.String({ description: 'The first column of the first row, as text, must equal this.' })),
    minRows: Type.Optional(Type.Integer({ minimum: 0, description: 'The query must return at least this many rows.' })),
  };
}

export interface SqlConnectionFields {
  url?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
}

/** The URL to connect with: `url` with the explicit fields put over it, or null when there is no host at all. */
export function connectionUrl(fields: SqlConnectionFields, scheme: string): string | null {
  if (fields.url === undefined && fields.host === undefined) return null;
  let url: URL;
  try {
    url = new URL(fields.url ?? `${scheme}://localhost`);
  } catch {
    throw new Error('the connection URL is not a valid URL');
  }
  if (fields.host !== undefined) url.hostname = fields.host.includes(':') ? `[${fields.host}]` : fields.host;
  if (fields.port !== undefined) url.port = String(fields.port);
  if (fields.user !== undefined) url.username = fields.user;
  if (fields.password !== undefined) url.password = fields.password;
  if (fields.database !== undefined) url.pathname = `/${fields.database}`;
  return url.toString();
}

/** "mysql://app@db1:3306/shop": the connection without its password, for lists and messages. */
export function describeSqlTarget(fields: SqlConnectionFields, scheme: string): string {
  try {
    return urlWithoutSecrets(connectionUrl(fields, scheme) ?? `${scheme}://`);
  } catch {
    return `${scheme}://(invalid URL)`;
  }
}
