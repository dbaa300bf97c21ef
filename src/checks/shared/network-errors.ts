// Turns the errors of sockets, DNS and TLS into the short sentences users read in `detail`.

const sentences: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed by peer',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  UND_ERR_HEADERS_OVERFLOW: 'response headers too large',
  HPE_HEADER_OVERFLOW: 'response headers too large',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  CERT_NOT_YET_VALID: 'TLS certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain has an untrusted self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate is not signed by a trusted authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate issuer is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
  CERT_REVOKED: 'TLS certificate has been revoked',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is the port really TLS?)',
};

/** The error code of a Node/undici error, looking inside AggregateError (happy eyeballs) and `cause`. */
export function errorCode(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code !== 'ERR_INTERNAL_ASSERTION') return code;
  if (err instanceof AggregateError && err.errors.length > 0) return errorCode(err.errors[0]);
  if (err.cause !== undefined) return errorCode(err.cause);
  return undefined;
}

/** A sentence for a failed connection, lookup or handshake. */
export function describeNetworkError(err: unknown): string {
  const code = errorCode(err);
  if (code && sentences[code]) return sentences[code];
  const message = err instanceof Error ? err.message : String(err);
  if (code && !message.includes(code)) return `${message} (${code})`;
  return message || code || 'unknown error';
}

/** A TLS verification code such as CERT_HAS_EXPIRED, as a sentence. */
export function describeTlsCode(code: string): string {
  return sentences[code] ?? `TLS verification failed (${code})`;
}
