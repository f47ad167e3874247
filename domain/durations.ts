/** Durations as the API and the workflows take them: '500ms', '30 seconds', '2 days'. */
const DURATION =
  /^\s*(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)\s*$/i;

const UNIT_MS: Array<[RegExp, number]> = [
  [/^(ms|milliseconds?)$/i, 1],
  [/^(s|secs?|seconds?)$/i, 1000],
  [/^(m|mins?|minutes?)$/i, 60_000],
  [/^(h|hours?)$/i, 3_600_000],
  [/^(d|days?)$/i, 86_400_000],
];

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

export function msOf(duration: string): number {
  const match = DURATION.exec(duration);
  if (!match) throw new RangeError(`"${duration}" is not a duration such as "30 seconds" or "2 days"`);
  const factor = UNIT_MS.find(([unit]) => unit.test(match[2]))![1];
  return Number(match[1]) * factor;
}
