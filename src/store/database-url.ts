// Turns the configured database location into one of the three dialects Tocsin speaks.

export type DialectName = 'sqlite' | 'postgres' | 'mysql';

export interface DatabaseTarget {
  dialect: DialectName;
  /** For sqlite: a file path (or ":memory:"); otherwise a connection URL. */
  location: string;
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new Error('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/tocsin.db');
    return { dialect: 'sqlite', location: path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', location: url };
  if (/^(mysql|mariadb):\/\//.test(url)) return { dialect: 'mysql', location: url.replace(/^mariadb:/, 'mysql:') };
  throw new Error(`DATABASE_URL must start with sqlite:, postgres:// or mysql:// (got "${url.split(':')[0]}:…")`);
}

/**
 * Statuer's variables: MYSQL_CONNECTION_URL=jdbc:mysql://HOST:3306/statuer plus
 * MYSQL_USERNAME and MYSQL_PASSWORD, turned into a mysql:// URL.
 */
export function statuerMysqlUrl(jdbcUrl: string, user?: string, password?: string): string {
  const match = /^(?:jdbc:)?mysql:\/\/([^/?]+)(\/[^?]*)?(\?.*)?$/.exec(jdbcUrl.trim());
  if (!match) throw new Error('MYSQL_CONNECTION_URL must look like jdbc:mysql://HOST:3306/DATABASE');
  const auth = user ? `${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@` : '';
  return `mysql://${auth}${match[1]}${match[2] ?? ''}`;
}
