import { UsageError } from "../errors.js";

/** Splits a command's words into known boolean/valued flags and the remaining words. */
export function parseFlags(
  command: string,
  args: readonly string[],
  spec: { booleans?: readonly string[]; values?: readonly string[] },
): { flags: Record<string, string | true>; rest: string[] } {
  const flags: Record<string, string | true> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg.length === 2) {
      rest.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (spec.booleans?.includes(name)) flags[name] = true;
    else if (spec.values?.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`/${command}: --${name} needs a value.`);
      flags[name] = value;
    } else throw new UsageError(`/${command}: unknown option --${name}. See /help.`);
  }
  return { flags, rest };
}
