import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * The colour policy of every Victor program: `NO_COLOR` (non-empty) turns colour off
 * (https://no-color.org), `FORCE_COLOR` (anything but "0"/"false") turns it on, `TERM=dumb` off;
 * otherwise colour only on a terminal.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Colors {
  return pc.createColors(colorEnabled(stream, env));
}
