// Reads the summary that iputils ping (and BusyBox ping) print at the end:
//   3 packets transmitted, 2 received, +1 errors, 33.3333% packet loss, time 402ms
//   rtt min/avg/max/mdev = 0.035/0.044/0.055/0.008 ms        (BusyBox: "round-trip min/avg/max = ...")

export interface PingSummary {
  transmitted: number;
  received: number;
  lossPercent: number;
  /** Average round trip in ms, absent when nothing came back. */
  averageMs?: number;
}

const countsPattern = /(\d+) packets transmitted, (\d+) (?:packets )?received/;
const lossPattern = /([\d.,]+)% packet loss/;
const roundTripPattern = /(?:rtt|round-trip) min\/avg\/max(?:\/\w+)? = [\d.,]+\/([\d.,]+)\//;

export function parsePingOutput(output: string): PingSummary | null {
  const counts = countsPattern.exec(output);
  if (!counts) return null;
  const transmitted = Number(counts[1]);
  const received = Number(counts[2]);
  const loss = lossPattern.exec(output);
  const lossPercent = loss ? decimal(loss[1]) : transmitted === 0 ? 100 : (100 * (transmitted - received)) / transmitted;
  const roundTrip = roundTripPattern.exec(output);
  return { transmitted, received, lossPercent, ...(roundTrip ? { averageMs: decimal(roundTrip[1]) } : {}) };
}

// Some locales print decimal commas.
function decimal(text: string): number {
  return Number(text.replace(',', '.'));
}
