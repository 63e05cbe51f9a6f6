/** A location inside the manifest value: keys of mappings and indexes of lists. */
export type Segment = string | number;
export type FieldPath = readonly Segment[];

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `['bom', 3, 'quantity']` → `bom[3].quantity`; odd keys are quoted so the path stays unambiguous. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * Turns an ajv instancePath (`/bom/3/quantity`) into typed segments, using the data to tell a
 * list index from a mapping key that happens to look like a number.
 */
export function pointerToPath(pointer: string, data: unknown): Segment[] {
  if (pointer === '') return [];
  const out: Segment[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(key);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(key);
      cur = cur !== null && typeof cur === 'object' && Object.hasOwn(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}
