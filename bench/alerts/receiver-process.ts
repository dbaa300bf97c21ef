// The webhook receiver of the benchmark, in its own process (a receiver is another machine in real
// life; here it must not share the event loop it is timing). Parent messages: 'count' and
// 'report'; answers { url }, { count } and { hooks: [{ at, kind, key }] } over IPC.
import { startWebhookReceiver } from '../../src/alerts/test-support/webhook-receiver.js';

const receiver = await startWebhookReceiver();
process.send!({ url: receiver.url });
process.on('message', (message) => {
  if (message === 'count') process.send!({ count: receiver.hooks.length });
  if (message === 'report') process.send!({ hooks: receiver.hooks.map((h) => ({ at: h.at, kind: h.kind, key: h.key })) });
  if (message === 'exit') receiver.close().then(() => process.exit(0));
});
