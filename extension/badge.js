// What the toolbar badge says: the worst Core Web Vital's value in at most four characters,
// on its rating's colour (the report's `verdict` decides which metric).

/** Lighthouse's and CrUX's green, orange and red. */
export const BADGE_COLORS = { good: '#0cce6b', 'needs-improvement': '#ffa400', poor: '#ff4e42' };

/** `850` (ms), `2.5s`, `12s`; CLS as `.12` or `1.3`. */
export function badgeText({ metric, value }) {
  if (metric === 'CLS') return value < 1 ? value.toFixed(2).replace(/^0/, '') : value.toFixed(1);
  if (value < 1000) return String(Math.round(value));
  const seconds = value / 1000;
  return seconds < 10 ? `${seconds.toFixed(1)}s` : `${Math.round(seconds)}s`;
}
