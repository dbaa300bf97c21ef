// A response body built once and served many times: gzip prepared ahead, a strong ETag, and
// 304 Not Modified for clients that already hold it.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CachedBody {
  status: number;
  contentType: string;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
  cacheControl: string;
}

export function cachedBody(text: string, contentType: string, cacheControl: string, status = 200): CachedBody {
  const body = Buffer.from(text, 'utf8');
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  return { status, contentType, body, gzip: body.length > 1024 ? gzipSync(body, { level: 6 }) : null, etag, cacheControl };
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
}

export function sendCached(request: FastifyRequest, reply: FastifyReply, cached: CachedBody): FastifyReply {
  reply.header('etag', cached.etag).header('cache-control', cached.cacheControl).header('vary', 'Accept-Encoding');
  if (cached.status === 200 && matches(request.headers['if-none-match'], cached.etag)) return reply.status(304).send();
  reply.status(cached.status).type(cached.contentType);
  if (cached.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(cached.gzip);
  }
  return reply.send(cached.body);
}
