// The server side of SCRAM-SHA-256 (RFC 5802 / RFC 7677), the way MongoDB runs it, so the MongoDB
// stand-in really checks a password: a wrong one fails the proof, as on a real server.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

function attributes(message: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of message.split(',')) {
    const at = part.indexOf('=');
    if (at > 0) result[part.slice(0, at)] = part.slice(at + 1);
  }
  return result;
}

/** One SCRAM conversation for one user with a known password. */
export class ScramSha256Conversation {
  private readonly salt = randomBytes(16);
  private readonly iterations = 4096;
  private readonly saltedPassword: Buffer;
  private clientFirstBare = '';
  private serverFirst = '';
  private user = '';

  constructor(private readonly expectedUser: string, password: string) {
    this.saltedPassword = pbkdf2Sync(password, this.salt, this.iterations, 32, 'sha256');
  }

  /** Takes "n,,n=user,r=clientNonce"; returns the server-first message. */
  start(clientFirst: string): string {
    this.clientFirstBare = clientFirst.replace(/^[^,]*,[^,]*,/, '');
    const { n, r } = attributes(this.clientFirstBare);
    this.user = n;
    this.serverFirst = `r=${r}${randomBytes(18).toString('base64')},s=${this.salt.toString('base64')},i=${this.iterations}`;
    return this.serverFirst;
  }

  /** Takes "c=biws,r=…,p=proof"; returns the server-final message, or null when the proof is wrong. */
  finish(clientFinal: string): string | null {
    const withoutProof = clientFinal.replace(/,p=[^,]*$/, '');
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientKey = hmac(this.saltedPassword, 'Client Key');
    const storedKey = createHash('sha256').update(clientKey).digest();
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.from(attributes(clientFinal).p ?? '', 'base64');
    if (this.user !== this.expectedUser || proof.length !== signature.length) return null;
    const recoveredClientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]));
    if (!timingSafeEqual(createHash('sha256').update(recoveredClientKey).digest(), storedKey)) return null;
    return `v=${hmac(hmac(this.saltedPassword, 'Server Key'), authMessage).toString('base64')}`;
  }
}
