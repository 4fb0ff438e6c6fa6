import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { parseSince } from "./import.js";

describe("victor import --since", () => {
  const now = new Date("2026-03-10T12:00:00.000Z");

  it("takes a date (local midnight), a date and time, or a number of days back", () => {
    expect(parseSince("2026-01-31", now)).toEqual(new Date(2026, 0, 31));
    expect(parseSince("2026-01-31T08:00:00Z", now)!.toISOString()).toBe("2026-01-31T08:00:00.000Z");
    expect(parseSince("7d", now)!.toISOString()).toBe("2026-03-03T12:00:00.000Z");
    expect(parseSince(undefined, now)).toBeUndefined();
  });

  it("anything else is a usage error that says what it accepts", () => {
    expect(() => parseSince("last week", now)).toThrow(UsageError);
    expect(() => parseSince("last week", now)).toThrow(/--since needs a date \(2026-01-31, 2026-01-31T08:00Z\) or a number of days \(7d\)/);
  });
});
