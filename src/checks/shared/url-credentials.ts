// Checkers configured by URL (redis, rabbitmq, mqtt) also take `username` and `password` fields
// that override the URL's, so a secret can live outside the URL; and never show the password.
import Type from 'typebox';

export function urlCredentialProperties() {
  return {
    username: Type.Optional(Type.String({ minLength: 1, description: 'User name (overrides the URL\'s).' })),
    password: Type.Optional(Type.String({ description: 'Password (overrides the URL\'s).' })),
  };
}

/** The user the URL names (decoded), or `fallback` when it names none or is not a URL. */
export function urlUsername(url: string, fallback: string): string {
  try {
    return decodeURIComponent(new URL(url).username) || fallback;
  } catch {
    return fallback;
  }
}

/** The URL without its password (and query, which may hold secrets too), for lists and messages. */
export function urlWithoutSecrets(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
