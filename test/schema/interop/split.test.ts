/** Records out of a stream, with bounded memory: JSON array elements and JSON Lines. */
import { describe, expect, it } from 'vitest';
import { jsonArraySplitter, lineSplitter, type RecordSplitter, type SplitItem } from '../../../schema/interop/split.ts';

function feed(s: RecordSplitter, text: string, chunk: number): SplitItem[] {
  const out: SplitItem[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
  return [...out, ...s.end()];
}

describe('JSON array splitter', () => {
  it('yields each element whatever the chunking, with strings holding brackets, commas and escapes', () => {
    const items = [{ a: '[,]"}' }, [1, [2]], 'x\\"y', 3, null];
    const text = ` \n${JSON.stringify(items, null, 2)}\n`;
    for (const chunk of [1, 3, 7, 1000]) {
      const got = feed(jsonArraySplitter(1000), text, chunk);
      expect(got.map((g) => ('text' in g ? JSON.parse(g.text) : g))).toEqual(items);
    }
  });

  it('skips an element larger than the limit without buffering it, and goes on', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const text = `[{"id":1},{"id":2,"s":"${big}"},{"id":3}]`;
    const got = feed(jsonArraySplitter(1024 * 1024), text, 64 * 1024);
    expect(got.map((g) => ('text' in g ? JSON.parse(g.text).id : `too large ${g.tooLarge > 10 * 1024 * 1024}`))).toEqual([1, 'too large true', 3]);
  });

  it('refuses what is not an array, or ends inside it', () => {
    expect(() => feed(jsonArraySplitter(100), '{"a":1}', 10)).toThrow('not a JSON array');
    expect(() => feed(jsonArraySplitter(100), '[{"a":1},', 10)).toThrow('not closed');
    expect(() => feed(jsonArraySplitter(100), '[1] 2', 10)).toThrow('after the end');
  });
});

describe('JSON Lines splitter', () => {
  it('yields non-empty lines, CRLF or LF, and skips an over-long line', () => {
    const text = `{"a":1}\r\n\n{"a":2}\n${'y'.repeat(5000)}\n{"a":3}`;
    const got = feed(lineSplitter(1000), text, 13);
    expect(got.map((g) => ('text' in g ? JSON.parse(g.text).a : 'too large'))).toEqual([1, 2, 'too large', 3]);
  });
});
