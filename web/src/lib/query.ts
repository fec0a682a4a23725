/** Build a query string, dropping empty values. (Its own module: index.html's boot script uses it too.) */
export function qs(params: Record<string, string | number | null | undefined | boolean>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}
