// Certificate dates and names as the `tls` and `http` checkers report them. `now` is a parameter
// so the arithmetic is testable without waiting for certificates to age.
import type { PeerCertificate } from 'node:tls';

const dayMs = 24 * 60 * 60 * 1000;

export interface CertificateFacts {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
}

export function certificateFacts(cert: PeerCertificate): CertificateFacts {
  return {
    subject: displayName(cert.subject) ?? 'unknown subject',
    issuer: displayName(cert.issuer) ?? 'unknown issuer',
    validFrom: new Date(cert.valid_from),
    validTo: new Date(cert.valid_to),
  };
}

/** Whole days until `date` (negative once past), rounded down. */
export function daysUntil(date: Date, now: Date): number {
  return Math.floor((date.getTime() - now.getTime()) / dayMs);
}

/**
 * Why the certificate should make the check fail, or null when it is fine: not yet valid, expired,
 * or expiring in less than `warnDays` days (0 turns the early warning off, not the expiry).
 */
export function certificateDateProblem(facts: CertificateFacts, warnDays: number, now: Date): string | null {
  if (now < facts.validFrom) return `certificate not valid until ${isoDate(facts.validFrom)}`;
  const remainingMs = facts.validTo.getTime() - now.getTime();
  if (remainingMs <= 0) {
    const ago = Math.floor(-remainingMs / dayMs);
    return `certificate expired ${ago === 0 ? 'today' : `${plural(ago, 'day')} ago`} (${isoDate(facts.validTo)})`;
  }
  if (remainingMs < warnDays * dayMs) {
    const days = Math.floor(remainingMs / dayMs);
    return `certificate expires in ${days === 0 ? 'less than a day' : plural(days, 'day')} (${isoDate(facts.validTo)})`;
  }
  return null;
}

/** "certificate valid for 80 days (expires 2026-11-26), issuer R3" */
export function describeValidCertificate(facts: CertificateFacts, now: Date): string {
  const days = daysUntil(facts.validTo, now);
  return `certificate valid for ${plural(days, 'day')} (expires ${isoDate(facts.validTo)}), issuer ${facts.issuer}`;
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// Subject and issuer fields may repeat (string[]); the common name says most, the organisation next.
function displayName(name: PeerCertificate['issuer'] | undefined): string | undefined {
  if (!name) return undefined;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  return first(name.CN) ?? first(name.O);
}
