// The contract between the alert dispatcher and the notification providers. A notifier gets the
// event, the message rendered for it and its own validated config; it returns a receipt or throws
// a DeliveryError. It never sees database rows, our HTTP requests or sockets of ours. Retries,
// backoff and the attempts log belong to the dispatcher (src/alerts/), not here.
import type { Static, TSchema } from 'typebox';

export type AlertKind = 'down' | 'up' | 'reminder' | 'flapping' | 'settled' | 'test';

export interface AlertService {
  id: string;
  /** Full slug path, e.g. "acme/website/api". */
  path: string;
  name: string;
  kind: 'check' | 'heartbeat';
  /** URL or host:port, when known. */
  target: string | null;
}

export interface AlertIncident {
  id: string;
  openedAt: number;
  resolvedAt: number | null;
  durationMs: number | null;
}

export interface AlertEvent {
  kind: AlertKind;
  service: AlertService;
  /** New state: up | down | pending | late | paused | maintenance | unknown. */
  state: string;
  previousState: string;
  /** "expected status 200-299, got 503", "no check-in for 5m". */
  cause: string | null;
  /** Epoch ms of the state change (for reminders: of the reminder). */
  at: number;
  /** Epoch ms when the current problem/state started. */
  since: number | null;
  incident: AlertIncident | null;
  /** URL of the service in the dashboard. */
  link: string | null;
}

/**
 * One message in every flavour a provider may need. `html` uses inline tags only (<b>, <a>,
 * <code>) and keeps plain newlines, which is what Telegram accepts; providers that render real
 * HTML (email, Matrix, Google Chat cards) turn newlines into <br>. `markdown` is CommonMark
 * (**bold**, [label](url)); `mrkdwn` is the Slack / Google Chat dialect (*bold*, <url|label>).
 * None of the bodies repeats the title.
 */
export interface RenderedMessage {
  title: string;
  text: string;
  markdown: string;
  html: string;
  mrkdwn: string;
}

export interface NotifierContext {
  /** Aborted when the dispatcher gives up on this attempt; pass it to every I/O call. */
  signal: AbortSignal;
  now(): number;
}

export interface DeliveryReceipt {
  /** HTTP status (or SMTP reply code) of the accepted request. */
  status?: number;
  /** A short sentence for the attempts log. */
  detail?: string;
  /** The provider's id for what was created: message id, dedup key, tweet id... */
  externalId?: string;
}

/** A config problem found beyond the schema (e.g. a template that does not compile). */
export interface ConfigError {
  /** JSON pointer of the offending field, "" for the whole config. */
  path: string;
  message: string;
}

export interface NotifierDefinition<S extends TSchema = TSchema> {
  /** The `type` users write: "slack", "telegram", ... */
  type: string;
  /** A short name for docs and the API. */
  title: string;
  configSchema: S;
  /**
   * Config fields holding secrets: stored encrypted, redacted in API answers. Dotted paths for
   * nested fields ("auth.pass").
   */
  secretFields: readonly string[];
  /** Checks the schema cannot express (one of two fields required...). */
  checkConfig?(config: Static<S>): ConfigError[];
  send(input: { event: AlertEvent; message: RenderedMessage; config: Static<S> }, ctx: NotifierContext): Promise<DeliveryReceipt>;
}

/** Helps a notifier module keep its config type tied to its schema. */
export function defineNotifier<S extends TSchema>(definition: NotifierDefinition<S>): NotifierDefinition<S> {
  return definition;
}

export interface DeliveryErrorOptions {
  permanent: boolean;
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Thrown by send(). `permanent` errors are not retried: 4xx answers other than 408/429, bad
 * config, rejected recipients. Everything else (network errors, timeouts, 408/429/5xx) is.
 * `retryAfterMs` carries the provider's own wish (Retry-After and the like) when it gave one.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(message: string, options: DeliveryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryError';
    this.permanent = options.permanent;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}
