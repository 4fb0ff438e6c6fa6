import { InvalidSessionDataError } from "./errors.js";

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
 * The zone a naive timestamp (no offset, as Python's `datetime.now().isoformat()` or SQLite's
 * `datetime('now')` wrote them) is read in: "local" (this machine's zone), "UTC", or an IANA
 * zone name such as "Europe/Berlin".
 */
export type NaiveTimeZone = string;

/** Throws a clear error unless `zone` is "local", "UTC" or a time zone this Node knows. */
export function assertTimeZone(zone: string): string {
  if (zone === "local") return zone;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    throw new InvalidSessionDataError(`Unknown time zone ${JSON.stringify(zone)}: use an IANA name such as "Europe/Berlin", "UTC" or "local".`);
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `zone` from UTC at the instant `utcMs`, in ms (positive east of Greenwich). */
function zoneOffsetMs(utcMs: number, zone: string): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant of a wall-clock time in `zone` (two passes settle DST transitions). */
function wallTimeToUtc(wall: number, zone: string): number {
  let guess = wall - zoneOffsetMs(wall, zone);
  guess = wall - zoneOffsetMs(guess, zone);
  return guess;
}

/**
 * Normalises a timestamp to ISO UTC with milliseconds. Naive times (no zone) are read in
 * `zone` (default: local time, the way the old releases produced them). Returns null for
 * anything that is not a date.
 */
export function toIsoUtc(value: string, zone: NaiveTimeZone = "local"): string | null {
  const naive = NAIVE.exec(value.trim());
  if (naive) {
    const [, y, mo, d, h, mi, s, frac] = naive;
    const ms = frac ? Number(frac.padEnd(3, "0").slice(0, 3)) : 0;
    if (zone === "local") {
      const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
      return Number.isNaN(date.getTime()) ? null : date.toISOString();
    }
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
    if (Number.isNaN(wall)) return null;
    return new Date(zone === "UTC" ? wall : wallTimeToUtc(wall, zone)).toISOString();
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
