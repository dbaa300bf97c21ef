// Fitting an alert into a post. X counts "weighted" length (twitter-text v3): most Latin,
// Greek, Cyrillic... characters weigh 1, others (CJK, emoji) 2, every URL 23, at most 280.
// Counting each emoji code point as 2 over-counts ZWJ sequences slightly, which only errs short.

export const maxTweetWeight = 280;
const urlWeight = 23;
const urlPattern = /https?:\/\/\S+/g;
const lightRanges: [number, number][] = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];

function charWeight(codePoint: number): number {
  return lightRanges.some(([from, to]) => codePoint >= from && codePoint <= to) ? 1 : 2;
}

export function tweetWeight(text: string): number {
  const urls = text.match(urlPattern) ?? [];
  let weight = urls.length * urlWeight;
  for (const char of text.replace(urlPattern, '')) weight += charWeight(char.codePointAt(0)!);
  return weight;
}

/** The lines, cut with "…" to fit, then the link (which always fits: it weighs 23). */
export function composeTweet(lines: string[], link: string | null): string {
  const suffix = link ? `\n${link}` : '';
  const budget = maxTweetWeight - tweetWeight(suffix);
  let text = lines.join('\n');
  if (tweetWeight(text) > budget) {
    const chars = Array.from(text);
    while (chars.length > 0 && tweetWeight(`${chars.join('')}…`) > budget) chars.pop();
    text = `${chars.join('').trimEnd()}…`;
  }
  return `${text}${suffix}`;
}
