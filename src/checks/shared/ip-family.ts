// The `ipFamily` option: lets a monitor insist on IPv4 or IPv6 to catch a broken AAAA or A record.
import { isIP } from 'node:net';
import Type from 'typebox';

export type IpFamily = 'auto' | 4 | 6;

export const IpFamilySchema = Type.Union([Type.Literal('auto'), Type.Literal(4), Type.Literal(6)], {
  default: 'auto',
  description: 'Address family used to reach the host: 4 (IPv4 only), 6 (IPv6 only) or "auto" (whatever resolves).',
});

/** The `family` option of net.connect / dns.lookup: 0 means any. */
export function lookupFamily(family: IpFamily | undefined): 0 | 4 | 6 {
  return family === 4 || family === 6 ? family : 0;
}

/**
 * Node connects to an IP literal whatever `family` says, so a literal of the other family is a
 * configuration mistake we report instead of silently ignoring the option.
 */
export function familyMismatch(host: string, family: IpFamily | undefined): string | null {
  const literal = isIP(host);
  if (literal === 0 || family === undefined || family === 'auto' || literal === family) return null;
  return `ipFamily is ${family} but ${host} is an IPv${literal} address`;
}
