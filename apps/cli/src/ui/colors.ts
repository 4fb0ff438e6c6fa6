import pc from "picocolors";

/** Colour only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  const noColor = process.env.NO_COLOR;
  if (noColor !== undefined && noColor !== "") return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true;
}

export type Colors = ReturnType<typeof pc.createColors>;

export function colors(stream: NodeJS.WriteStream = process.stdout): Colors {
  return pc.createColors(colorEnabled(stream));
}
