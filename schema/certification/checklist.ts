import { OhwError } from '../errors.ts';
import { OTRL_LEVELS, ODRL_LEVELS } from '../types.ts';

export interface ChecklistItem { id: string; question: string; required: boolean }

/**
 * What every reviewer answers. The first twelve are the points of the OSHW Definition 1.0
 * (OSHWA); the last three are the registry's own reviewing criteria (SPEC §5).
 */
export const CHECKLIST: readonly ChecklistItem[] = [
  { id: 'oshw-documentation', question: 'Is the documentation (design files, BOM, instructions) published in the preferred format for making modifications?', required: true },
  { id: 'oshw-scope', question: 'Does the documentation state clearly which parts of the design are released under the licence?', required: true },
  { id: 'oshw-necessary-software', question: 'If software is needed to operate the hardware, is it released under an OSI-approved licence or its interfaces documented enough to write it?', required: true },
  { id: 'oshw-derived-works', question: 'Does the licence allow modifications and derived works, distributed under the same terms?', required: true },
  { id: 'oshw-free-redistribution', question: 'Does the licence allow selling and giving away the design and products made from it, without royalty?', required: true },
  { id: 'oshw-attribution', question: 'Is attribution to the licensor required only in a reasonable way?', required: true },
  { id: 'oshw-no-discrimination-persons', question: 'Does the licence avoid discriminating against any person or group?', required: true },
  { id: 'oshw-no-discrimination-fields', question: 'Does the licence avoid restricting any field of endeavour?', required: true },
  { id: 'oshw-distribution-of-license', question: 'Do the rights apply to everyone the design is redistributed to, with no extra licence needed?', required: true },
  { id: 'oshw-not-product-specific', question: 'Are the rights independent of the design being part of a particular product?', required: true },
  { id: 'oshw-not-restrict-other', question: 'Does the licence avoid restricting other hardware or software distributed with it?', required: true },
  { id: 'oshw-technology-neutral', question: 'Is the licence free of conditions tied to a particular technology or interface style?', required: true },
  { id: 'build-without-reverse-engineering', question: 'Is the documentation sufficient for a skilled producer to build it without reverse engineering?', required: true },
  { id: 'open-closed-distinguished', question: 'Are open and closed (proprietary) parts clearly distinguished, with closed parts disclosed and datasheets linked?', required: true },
  { id: 'maturity-plausible', question: 'Are the claimed technology (OTRL) and documentation (ODRL) maturity levels plausible from the evidence?', required: true },
  { id: 'photos-match', question: 'Do photos of a built unit match the documentation?', required: false },
];

export const DECISIONS = ['approve', 'changes', 'reject'] as const;
export type Decision = (typeof DECISIONS)[number];
export const ITEM_RESULTS = ['pass', 'fail', 'n/a'] as const;

export interface ReviewInput {
  decision: Decision;
  checklist: Record<string, { result: (typeof ITEM_RESULTS)[number]; comment?: string }>;
  maturity?: { technology?: string; documentation?: string };
  comment?: string;
}

/** Parse a review body; 400 naming every missing required item and every unknown item. */
export function parseReview(body: unknown): ReviewInput {
  const b = (body ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (!DECISIONS.includes(b.decision as Decision)) problems.push(`"decision" must be one of ${DECISIONS.join(', ')}`);
  const checklist = b.checklist;
  if (typeof checklist !== 'object' || checklist === null || Array.isArray(checklist)) {
    problems.push('"checklist" must be an object: {<item id>: {result: pass|fail|n/a, comment}}');
  } else {
    const known = new Set(CHECKLIST.map((i) => i.id));
    const given = Object.keys(checklist);
    const unknown = given.filter((k) => !known.has(k));
    const missing = CHECKLIST.filter((i) => i.required && !Object.hasOwn(checklist, i.id)).map((i) => i.id);
    if (unknown.length) problems.push(`unknown checklist item(s): ${unknown.join(', ')}`);
    if (missing.length) problems.push(`missing required checklist item(s): ${missing.join(', ')}`);
    for (const [id, answer] of Object.entries(checklist as Record<string, unknown>)) {
      if (!known.has(id)) continue;
      const a = answer as { result?: unknown; comment?: unknown } | null;
      if (!a || !ITEM_RESULTS.includes(a.result as (typeof ITEM_RESULTS)[number])) problems.push(`checklist.${id}.result must be one of ${ITEM_RESULTS.join(', ')}`);
      else if (a.comment !== undefined && typeof a.comment !== 'string') problems.push(`checklist.${id}.comment must be a string`);
      else if (a.result === 'n/a' && CHECKLIST.find((i) => i.id === id)?.required) problems.push(`checklist.${id} is required and cannot be n/a`);
    }
  }
  const maturity = b.maturity as ReviewInput['maturity'] | undefined;
  if (maturity !== undefined) {
    if (typeof maturity !== 'object' || maturity === null) problems.push('"maturity" must be {technology, documentation}');
    else {
      if (maturity.technology !== undefined && !(OTRL_LEVELS as readonly string[]).includes(maturity.technology)) problems.push(`maturity.technology must be one of ${OTRL_LEVELS.join(', ')}`);
      if (maturity.documentation !== undefined && !(ODRL_LEVELS as readonly string[]).includes(maturity.documentation)) problems.push(`maturity.documentation must be one of ${ODRL_LEVELS.join(', ')}`);
    }
  }
  if (b.comment !== undefined && typeof b.comment !== 'string') problems.push('"comment" must be a string');
  if (problems.length) throw new OhwError('INVALID_REQUEST', `invalid review: ${problems.join('; ')}`, { details: { problems } });
  const review: ReviewInput = { decision: b.decision as Decision, checklist: checklist as ReviewInput['checklist'] };
  if (maturity) review.maturity = maturity;
  if (typeof b.comment === 'string') review.comment = b.comment;
  // An approval whose own checklist fails a required point is contradictory.
  if (review.decision === 'approve') {
    const failed = CHECKLIST.filter((i) => i.required && review.checklist[i.id]?.result === 'fail').map((i) => i.id);
    if (failed.length) throw new OhwError('INVALID_REQUEST', `an approval cannot fail required checklist items: ${failed.join(', ')}`);
  }
  return review;
}
