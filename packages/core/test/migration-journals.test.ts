import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * drizzle's migrators apply a journal entry only when its `when` is later than that of the last
 * migration a database has applied: an entry with an earlier `when` than its predecessor (two branches
 * each adding a migration, merged) is skipped for good on every database that is past the predecessor.
 * So the journals must stay in order, and each entry must have its SQL file.
 */
describe.each(["sqlite", "pg"])("the %s migrations journal", (dialect) => {
  const folder = new URL(`../drizzle/${dialect}/`, import.meta.url);
  const journal = JSON.parse(readFileSync(new URL("meta/_journal.json", folder), "utf8")) as { entries: { idx: number; when: number; tag: string }[] };

  it("numbers its entries 0, 1, 2, … with tags that say the same number", () => {
    journal.entries.forEach((entry, i) => {
      expect(entry.idx).toBe(i);
      expect(entry.tag.slice(0, 4)).toBe(String(i).padStart(4, "0"));
    });
  });

  it("gives every entry a later time than the one before (or drizzle skips it on a database past that one)", () => {
    const late = journal.entries.filter((entry, i) => i > 0 && entry.when <= journal.entries[i - 1]!.when).map((entry) => entry.tag);
    expect(late).toEqual([]);
  });

  it("has the SQL file of every entry", () => {
    expect(journal.entries.filter((entry) => !existsSync(new URL(`${entry.tag}.sql`, folder))).map((entry) => entry.tag)).toEqual([]);
  });
});
