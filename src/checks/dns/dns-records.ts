// DNS answers as text, so they can be shown and compared with the expected answer. Each record
// reads as in a zone file ("10 mail.example.com" for MX); `main` is the part people usually mean
// (the MX/SRV target, the SOA primary server, the CAA value) and may be matched on its own.
import type { CaaRecord, MxRecord, SoaRecord, SrvRecord } from 'node:dns';

export const recordTypes = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SOA', 'SRV', 'PTR', 'CAA'] as const;
export type RecordType = (typeof recordTypes)[number];

export interface RecordText {
  text: string;
  main?: string;
}

export function recordsAsText(type: RecordType, answer: unknown): RecordText[] {
  switch (type) {
    case 'MX':
      return (answer as MxRecord[]).map((r) => ({ text: `${r.priority} ${r.exchange}`, main: r.exchange }));
    case 'TXT':
      return (answer as string[][]).map((chunks) => ({ text: chunks.join('') }));
    case 'SRV':
      return (answer as SrvRecord[]).map((r) => ({ text: `${r.priority} ${r.weight} ${r.port} ${r.name}`, main: r.name }));
    case 'SOA': {
      const r = answer as SoaRecord;
      return [{ text: `${r.nsname} ${r.hostmaster} ${r.serial} ${r.refresh} ${r.retry} ${r.expire} ${r.minttl}`, main: r.nsname }];
    }
    case 'CAA':
      return (answer as CaaRecord[]).map(caaText);
    default:
      return (answer as string[]).map((text) => ({ text }));
  }
}

/** Case-insensitive, ignoring surrounding spaces and a trailing dot (fully qualified names). */
export function recordMatches(record: RecordText, expected: string): boolean {
  const wanted = normalize(expected);
  return normalize(record.text) === wanted || (record.main !== undefined && normalize(record.main) === wanted);
}

function normalize(text: string): string {
  return text.trim().replace(/\.$/, '').toLowerCase();
}

function caaText(record: CaaRecord): RecordText {
  const [tag, value] = Object.entries(record).find(([key]) => key !== 'critical') ?? ['unknown', ''];
  return { text: `${record.critical} ${tag} "${value}"`, main: String(value) };
}
