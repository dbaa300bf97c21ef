// Every notifier Tocsin knows, by type. Adding one: a folder under notifiers/ and one line here.
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';
import { checkTemplateOverrides, type TemplateOverrides } from './render/template-overrides.js';
import type { ConfigError, NotifierDefinition } from './types.js';
import { discordNotifier } from './discord/discord-notifier.js';
import { emailNotifier } from './email/email-notifier.js';
import { googleChatNotifier } from './google-chat/google-chat-notifier.js';
import { gotifyNotifier } from './gotify/gotify-notifier.js';
import { matrixNotifier } from './matrix/matrix-notifier.js';
import { mattermostNotifier } from './mattermost/mattermost-notifier.js';
import { ntfyNotifier } from './ntfy/ntfy-notifier.js';
import { opsgenieNotifier } from './opsgenie/opsgenie-notifier.js';
import { pagerdutyNotifier } from './pagerduty/pagerduty-notifier.js';
import { pushoverNotifier } from './pushover/pushover-notifier.js';
import { slackNotifier } from './slack/slack-notifier.js';
import { teamsNotifier } from './teams/teams-notifier.js';
import { telegramNotifier } from './telegram/telegram-notifier.js';
import { twilioNotifier } from './twilio/twilio-notifier.js';
import { webhookNotifier } from './webhook/webhook-notifier.js';
import { xNotifier } from './x/x-notifier.js';

const definitions: NotifierDefinition<any>[] = [
  webhookNotifier,
  slackNotifier,
  discordNotifier,
  telegramNotifier,
  emailNotifier,
  twilioNotifier,
  ntfyNotifier,
  gotifyNotifier,
  pushoverNotifier,
  pagerdutyNotifier,
  opsgenieNotifier,
  teamsNotifier,
  matrixNotifier,
  mattermostNotifier,
  googleChatNotifier,
  xNotifier,
];

export const notifiers: ReadonlyMap<string, NotifierDefinition<any>> = new Map(definitions.map((d) => [d.type, d]));

// Compiled once per type: every delivery re-checks its channel's config, and the interpreted
// check cost more than the whole webhook send.
const compiledChecks = new Map<string, (value: unknown) => boolean>();

function configMatchesSchema(notifier: NotifierDefinition<any>, config: unknown): boolean {
  let check = compiledChecks.get(notifier.type);
  if (!check) {
    const compiled = Compile(notifier.configSchema);
    check = (value) => compiled.Check(value);
    compiledChecks.set(notifier.type, check);
  }
  return check(config);
}

export function getNotifier(type: string): NotifierDefinition<any> | undefined {
  return notifiers.get(type);
}

export function notifierTypes(): string[] {
  return [...notifiers.keys()].sort();
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/**
 * Turns TypeBox's errors into one line per problem: a union of literals ("POST" | "PUT") fails
 * once per member, which reads better as a single "must be one of: POST, PUT".
 */
function schemaErrors(raw: SchemaError[]): ConfigError[] {
  const unionPaths = new Set(raw.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const allowed = new Map<string, unknown[]>();
  const errors: ConfigError[] = [];
  for (const error of raw) {
    if (error.keyword === 'boolean') continue; // repeats an additionalProperties error
    if (unionPaths.has(error.instancePath) && error.keyword === 'const') {
      allowed.set(error.instancePath, [...(allowed.get(error.instancePath) ?? []), error.params.allowedValue]);
      continue;
    }
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params.additionalProperties as string[] | undefined) ?? [];
      for (const name of extra) errors.push({ path: `${error.instancePath}/${name}`, message: 'unknown field' });
      if (extra.length > 0) continue;
    }
    errors.push({ path: error.instancePath, message: error.message });
  }
  return errors.map((e) => {
    const values = allowed.get(e.path);
    return values ? { path: e.path, message: `must be one of: ${values.join(', ')}` } : e;
  });
}

/** Everything wrong with a channel config: schema, template overrides, the notifier's own checks. */
export function validateNotifierConfig(type: string, config: unknown): ConfigError[] {
  const notifier = notifiers.get(type);
  if (!notifier) return [{ path: '', message: `unknown notifier type "${type}"; known types: ${notifierTypes().join(', ')}` }];
  if (!configMatchesSchema(notifier, config)) {
    return schemaErrors([...Value.Errors(notifier.configSchema, config)] as unknown as SchemaError[]);
  }
  const template = (config as { template?: TemplateOverrides }).template;
  return [...checkTemplateOverrides(template), ...(notifier.checkConfig?.(config) ?? [])];
}
