const pad = (n: number): string => String(n).padStart(2, "0");

/** `YYYYMMDD<sep>HHMMSS` in local time: the shape of session ids and backup file names. */
export function localStamp(date: Date, separator: string): string {
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}${separator}` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}

/** ISO-8601 UTC with milliseconds, e.g. 2026-01-07T14:30:45.123Z: sorts correctly as text. */
export function isoNow(): string {
  return new Date().toISOString();
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;

/**
 * Normalises a timestamp to ISO UTC with milliseconds. Naive times (no zone, as Python's
 * datetime.isoformat() wrote them) are local time, the way the old releases produced them.
 * Returns null for anything that is not a date.
 */
export function toIsoUtc(value: string): string | null {
  const naive = NAIVE.exec(value.trim());
  if (naive) {
    const [, y, mo, d, h, mi, s, frac] = naive;
    const ms = frac ? Number(frac.padEnd(3, "0").slice(0, 3)) : 0;
    const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
