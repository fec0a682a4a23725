/** A query value: null, undefined, '' and false are not sent; an object is a deepObject parameter (field[grade]=G0). */
export type QueryValue = string | number | boolean | null | undefined | Readonly<Record<string, string>>;

/** Build a query string, dropping empty values. (Its own module: index.html's boot script uses it too.) */
export function qs(params: Readonly<Record<string, QueryValue>>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && typeof v === 'object') {
      for (const [name, sub] of Object.entries(v)) if (sub !== '') u.set(`${k}[${name}]`, sub);
      continue;
    }
    if (v === undefined || v === null || v === '' || v === false) continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}
