// A notification channel: a configured notifier (Slack webhook, SMTP recipient...) in a namespace,
// with its policy (which events it wants, reminders, flapping) and where it is attached (routes).

/** What a channel can subscribe to. `pending` and `late` are off by default (early warnings). */
export const channelEvents = ['down', 'up', 'reminder', 'flapping', 'settled', 'pending', 'late'] as const;
export type ChannelEvent = (typeof channelEvents)[number];

export interface FlappingPolicy {
  /** More than `changes` state changes within `windowMs` is flapping... */
  changes: number;
  /** ...and it has settled once no change happened for `windowMs`. */
  windowMs: number;
}

export interface ChannelPolicy {
  events: ChannelEvent[];
  /** Repeat the alert every N ms while a service stays down; null = never. */
  reminderIntervalMs: number | null;
  /** null = flapping detection off for this channel. */
  flapping: FlappingPolicy | null;
  /**
   * 'missme' (default): heartbeats send one message when they go missing (down) and one when they
   * are back, never `late`, `pending` or reminders. 'like-checks': heartbeats follow `events`.
   */
  heartbeatRule: 'missme' | 'like-checks';
}

export const defaultPolicy: ChannelPolicy = {
  events: ['down', 'up', 'reminder', 'flapping', 'settled'],
  reminderIntervalMs: null,
  flapping: { changes: 5, windowMs: 10 * 60_000 },
  heartbeatRule: 'missme',
};

export interface Channel {
  id: string;
  namespaceId: string;
  name: string;
  type: string;
  /** The full notifier config, secrets decrypted: never send this to a client. */
  config: Record<string, unknown>;
  policy: ChannelPolicy;
  enabled: boolean;
  managedBy: string | null;
  lastError: string | null;
  lastErrorAt: number | null;
  lastSuccessAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Attaches a channel to everything at and below a namespace, project or service. */
export interface ChannelRoute {
  id: string;
  channelId: string;
  namespaceId: string;
  projectId: string | null;
  serviceId: string | null;
  /** "acme", "acme/website" or "acme/website/api". */
  path: string;
  /** When not empty, only services carrying at least one of these tags. */
  tags: string[];
  createdAt: number;
}
