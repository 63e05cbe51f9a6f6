import { distance } from 'fastest-levenshtein';

/**
 * The closest candidate to a misspelling, or undefined when nothing is close enough to be a
 * plausible typo (a suggestion that is wrong is worse than none).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const budget = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    // A case-only difference is the most likely mistake of all.
    const score = c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase());
    if (score < bestScore) { bestScore = score; best = c; }
  }
  return bestScore <= budget ? best : undefined;
}

/** ` (did you mean "x"?)` or `` */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = closest(word, candidates);
  return hit === undefined ? '' : ` (did you mean "${hit}"?)`;
}
