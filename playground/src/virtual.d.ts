/** Texts bundled into the page by scripts/build-playground.ts (see its `sourcesPlugin`). */
declare module 'virtual:netc-sources' {
  /** The standard library, by file name (`layers.net`). */
  export const STD_FILES: Record<string, string>;
  /** examples/*.net, by file name (`googlenet.net`). */
  export const EXAMPLES: Record<string, string>;
}
