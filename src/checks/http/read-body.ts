// Reads at most `maxBytes` of a response body as UTF-8, then stops: keyword and JSON checks never
// need more, and a huge or endless body must not eat memory.
import type { Readable } from 'node:stream';

export const maxBodyBytes = 1024 * 1024;

export interface BodyText {
  text: string;
  truncated: boolean;
}

export async function readBodyText(body: Readable, maxBytes = maxBodyBytes): Promise<BodyText> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    const room = maxBytes - bytes;
    if (chunk.byteLength > room) {
      // Returning from the loop destroys the stream through its iterator, errors handled.
      return { text: text + decoder.decode(chunk.subarray(0, room)), truncated: true };
    }
    bytes += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
  }
  return { text: text + decoder.decode(), truncated: false };
}
