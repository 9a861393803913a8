/**
 * Where a request's text holds a NUL character (U+0000), as the error handler names parameters
 * (`querystring.q`, `body.applicant.name`), or null. PostgreSQL cannot store U+0000 in text or jsonb, so such a value
 * would fail in the database (a 500) after the request was judged valid; no field has a use for it. Keys are
 * looked at too (a record's keys are stored in jsonb).
 */
export function nulAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulAt(value[i], `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\u0000')) return `${path}.${key.replaceAll('\u0000', '\\u0000')}`;
    const found = nulAt(v, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}
