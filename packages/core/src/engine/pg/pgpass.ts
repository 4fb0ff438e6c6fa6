import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseOpenError } from "../../domain/errors.js";
import type { PgTarget } from "./url.js";

/**
 * The password for a connection, by libpq's rules: the URL's, else PGPASSWORD, else the first
 * matching line of the password file (PGPASSFILE, default ~/.pgpass). Called only when the server
 * asks for one. Read here rather than by the driver: pg 8 reads ~/.pgpass with a deprecation
 * warning on stderr, and pg 9 will not read it at all.
 */
export function resolvePassword(target: PgTarget, env: NodeJS.ProcessEnv, homeDir: string): string | undefined {
  if (target.urlPassword !== null) return target.urlPassword;
  if (env.PGPASSWORD) return env.PGPASSWORD;
  return passwordFromFile(env.PGPASSFILE || join(homeDir, ".pgpass"), target);
}

/** One line of a password file: hostname:port:database:username:password, `*` matches anything. */
function splitLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "\\" && i + 1 < line.length) field += line[++i];
    else if (ch === ":") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

function passwordFromFile(path: string, target: PgTarget): string | undefined {
  let text: string;
  try {
    // libpq ignores a password file others can read; saying so beats a puzzling auth failure.
    if ((statSync(path).mode & 0o077) !== 0) {
      throw new DatabaseOpenError(path, "the password file can be read by other users, so it is not used. Run: chmod 600 " + path);
    }
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  // A Unix-socket connection matches "localhost", as in libpq.
  const host = target.host.startsWith("/") ? "localhost" : target.host;
  const wanted = [host, String(target.port), target.database, target.user];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const fields = splitLine(line);
    if (fields.length < 5) continue;
    if (wanted.every((value, i) => fields[i] === "*" || fields[i] === value)) return fields.slice(4).join(":");
  }
  return undefined;
}
