// The contract every checker honours: it gets its own validated config and a deadline, and
// returns up/down, the response time and a sentence a human understands. It never sees database
// rows, HTTP requests of ours, or the scheduler.
import type { TSchema, Static } from 'typebox';

export interface CheckContext {
  /**
   * Aborted when the check's timeout is reached (the caller's duty: checkers set no timer of
   * their own); pass it to every I/O call.
   */
  signal: AbortSignal;
  /** The timeout for this run, in milliseconds (also what `signal` enforces). */
  timeoutMs: number;
}

export interface CheckOutcome {
  up: boolean;
  /** Response time in milliseconds, or null when nothing answered. */
  latencyMs: number | null;
  /** One sentence for humans: "HTTP 200 in 85 ms", "expected status 200-299, got 503". */
  detail: string;
  /** Optional timing breakdown, e.g. { dnsMs, connectMs, tlsMs, firstByteMs }. */
  timings?: Record<string, number>;
}

export interface CheckerDefinition<S extends TSchema = TSchema> {
  /** The `type` users write: "http", "tcp", ... */
  type: string;
  /** A short description for docs and the API. */
  title: string;
  /** TypeBox schema of the checker's config (used by the API, the YAML file and the database). */
  configSchema: S;
  /** A short target description for lists and messages, e.g. the URL or host:port. */
  describeTarget(config: Static<S>): string;
  run(config: Static<S>, ctx: CheckContext): Promise<CheckOutcome>;
}

/** Helps a checker module keep its config type tied to its schema. */
export function defineChecker<S extends TSchema>(definition: CheckerDefinition<S>): CheckerDefinition<S> {
  return definition;
}
