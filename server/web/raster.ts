/**
 * Raster images a design page may show inline. Only these types, and only when the bytes start
 * with the type's signature: an SVG or HTML file renamed `.png` is not an image here.
 */
const TYPES: Record<string, { type: string; magic: (b: Uint8Array) => boolean }> = {
  png: { type: 'image/png', magic: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  jpg: { type: 'image/jpeg', magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  jpeg: { type: 'image/jpeg', magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  gif: { type: 'image/gif', magic: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 },
  webp: { type: 'image/webp', magic: (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50 },
};

const extOf = (path: string) => /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';

/** The image content type for a path by its extension, or undefined when it is not a raster type. */
export function rasterTypeOf(path: string): string | undefined {
  return TYPES[extOf(path)]?.type;
}

/** The content type when both the extension and the leading bytes agree; undefined otherwise. */
export function rasterContentType(path: string, bytes: Uint8Array): string | undefined {
  const t = TYPES[extOf(path)];
  return t && t.magic(bytes) ? t.type : undefined;
}
