import { randomBytes } from "node:crypto";
import { InvalidSessionIdError } from "./errors.js";
import { localStamp } from "./time.js";

/** Ids a user may type or an import may carry; anything else never reaches SQL or a file path. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._=-]{0,127}$/;

export function isValidSessionId(id: string): boolean {
  return SESSION_ID_PATTERN.test(id);
}

export function assertValidSessionId(id: string): string {
  if (typeof id !== "string" || !isValidSessionId(id)) throw new InvalidSessionIdError(String(id));
  return id;
}

/** `YYYYMMDD_HHMMSS` in local time: the id format of every Victor release. */
export function timestampSessionId(date: Date = new Date()): string {
  return localStamp(date, "_");
}

/** The n-th candidate for a base id: `base`, `base_2`, `base_3`, … */
export function suffixedSessionId(base: string, attempt: number): string {
  return attempt <= 1 ? base : `${base}_${attempt}`;
}

const INCARNATION_BYTES = 8;
/** Random bytes drawn 512 incarnations at a time: a call into the system's generator per session cost a bulk import ~2%. */
let randomPool = Buffer.alloc(0);
let poolOffset = 0;

/** A new session's incarnation: random, so a session created again under an old id is told apart. */
export function newIncarnation(): string {
  if (poolOffset + INCARNATION_BYTES > randomPool.length) {
    randomPool = randomBytes(512 * INCARNATION_BYTES);
    poolOffset = 0;
  }
  poolOffset += INCARNATION_BYTES;
  return randomPool.toString("hex", poolOffset - INCARNATION_BYTES, poolOffset);
}
