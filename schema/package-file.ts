/** One file of a package, path relative to the package root with `/` separators. */
export interface PackageFile {
  path: string;
  data: Uint8Array;
  executable?: boolean;
}
