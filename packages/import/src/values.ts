import { deriveTitle, isValidSessionId } from "@victor/core";
import { createHash } from "node:crypto";

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export const str = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** JSON.parse that says why it failed, in a form short enough for a report line. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    return { ok: false, reason: `not JSON (${message.length > 100 ? `${message.slice(0, 97)}...` : message})` };
  }
}

/** A title from a user's text, the way Victor derives its own (whitespace collapsed, cut at 50). */
export function titleFromText(text: string): string | null {
  const title = deriveTitle([{ role: "user", content: text }]);
  return text.trim() === "" ? null : title;
}

/** The tool's own title, cleaned the same way (one line, at most 50 characters). */
export function cleanTitle(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? titleFromText(value) : null;
}

/**
 * `<prefix>-<id>` when that is a valid Victor id, else `<prefix>-<hash of id>` (a file named
 * oddly still gets a stable, valid id).
 */
export function namespacedId(prefix: string, id: string): string {
  const candidate = `${prefix}-${id}`;
  if (isValidSessionId(candidate)) return candidate;
  return `${prefix}-${createHash("sha256").update(id).digest("hex").slice(0, 32)}`;
}

/** The later of two ISO timestamps (either may be missing). */
export function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

export function earlier(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

/** A timestamp the store accepts, or null (sources sometimes write numbers or junk). */
export function timestamp(value: unknown): string | null {
  return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : null;
}
