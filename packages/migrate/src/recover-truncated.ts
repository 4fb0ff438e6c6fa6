/**
 * The oldest release could not serialise its state object and left files that stop right after
 * `"conversation_state": ` (maybe with trailing whitespace). Everything before the cut is intact:
 * closing the document with `null}` gives it back, with conversation_state null.
 */
const CUT_AT_STATE = /"conversation_state"\s*:\s*$/;

/** The repaired JSON text, or null when the text is not cut that way. */
export function repairTruncatedSession(text: string): string | null {
  const match = CUT_AT_STATE.exec(text);
  if (!match) return null;
  return `${text.slice(0, match.index)}"conversation_state": null}`;
}
