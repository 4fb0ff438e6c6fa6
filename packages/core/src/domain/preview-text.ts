/**
 * Preview sidecars (conversation.preview_messages: file previews shown in a chat, never sent to a
 * model) are searchable: every text value in them — content, path, language, body — joined, one
 * text per session.
 */
export function previewText(previews: unknown): string {
  if (!Array.isArray(previews) || previews.length === 0) return "";
  const parts: string[] = [];
  // An explicit stack, in document order: a hostile file may nest values thousands of levels deep.
  const stack: unknown[] = [previews];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") parts.push(value);
    else if (value !== null && typeof value === "object") stack.push(...Object.values(value).reverse());
  }
  return parts.join("\n");
}
