// AES-256-GCM for the secret fields of channel configs. The channel id is the associated data, so
// a ciphertext copied onto another channel's row does not decrypt. Format: "v1.<iv>.<tag>.<data>"
// in base64url. The key may be given lazily: a server that never touches a channel secret then
// starts even where the key file cannot be written.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export class SecretBox {
  private resolved: Buffer | undefined;

  constructor(private readonly keySource: Buffer | (() => Buffer)) {}

  private get key(): Buffer {
    this.resolved ??= typeof this.keySource === 'function' ? this.keySource() : this.keySource;
    if (this.resolved.length !== 32) throw new Error('the secret key must be 32 bytes');
    return this.resolved;
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string, associatedData: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || data === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('cannot decrypt a channel secret: TOCSIN_SECRET_KEY differs from the key it was stored with');
    }
  }
}
