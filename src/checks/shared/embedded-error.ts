// Some client libraries (grpc-js, the MongoDB driver) pass a socket's failure on only as text,
// e.g. "connect ECONNREFUSED 10.0.0.1:27017"; this finds the error code in it again.
import { describeNetworkError } from './network-errors.js';

/** The sentence for the Node error code inside `text`, or null when it holds none. */
export function describeEmbeddedNetworkError(text: string): string | null {
  const code = /\b(E[A-Z]{3,})\b/.exec(text)?.[1];
  return code ? describeNetworkError(Object.assign(new Error(text), { code })) : null;
}
