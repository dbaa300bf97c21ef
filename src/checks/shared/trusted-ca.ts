// The TLS context of a monitor with its own CA (`caPem`): the system roots plus that CA, built
// once per distinct CA and reused. Building one parses every root certificate (about 140), which
// cost milliseconds of CPU when it was done for each connection.
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

const contexts = new Map<string, SecureContext>();
/** Distinct CAs kept; the least recently used goes first. */
const kept = 100;

export function contextTrusting(caPem: string): SecureContext {
  let context = contexts.get(caPem);
  if (context) contexts.delete(caPem);
  else context = createSecureContext({ ca: [...rootCertificates, caPem] });
  contexts.set(caPem, context);
  if (contexts.size > kept) contexts.delete(contexts.keys().next().value!);
  return context;
}
