// A request whose failure the page can live without (names for ids, a badge, a cache refresh)
// still says it failed: in the browser console, for whoever looks into a page that seems
// incomplete. A failure the reader must know of is shown on the page instead (<ErrorMessage>).
export function logFailure(what: string, e: unknown): void {
  console.warn(`gongdan: ${what} failed`, e);
}
