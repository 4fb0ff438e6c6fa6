import { isObject } from "../is-object.js";

/**
 * One stored image, as a model request can carry it: base64 bytes of a type every provider takes,
 * or why it cannot go.
 */
export type ImageRef = { kind: "data"; base64: string; mediaType: ImageMediaType } | { kind: "unsent"; reason: UnsentReason };

/**
 * `local-file`: a path on some machine (the file may be gone, or on another one); `link`: an http(s)
 * URL — not sent, because a dead or private link (or one the AI SDK must download for a provider that
 * cannot fetch it) would fail every reply of a conversation that worked before; `unusable`: any other shape.
 */
export type UnsentReason = "local-file" | "link" | "unusable";

/** The image types OpenAI, Anthropic and Ollama all take; an SVG or a TIFF would make the whole request fail. */
export type ImageMediaType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DATA_URI = /^data:([^,]*?);base64,([\s\S]*)$/i;

/**
 * The type the bytes themselves say, from their first bytes. The declared type is not trusted:
 * Anthropic rejects an image whose bytes do not match its media type.
 */
function sniff(base64: string): ImageMediaType | null {
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) return null;
  const head = Buffer.from(base64.slice(0, 16), "base64");
  if (head.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return "image/png";
  if (head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return "image/jpeg";
  if (head.subarray(0, 4).toString("latin1") === "GIF8") return "image/gif";
  if (head.subarray(0, 4).toString("latin1") === "RIFF" && head.subarray(8, 12).toString("latin1") === "WEBP") return "image/webp";
  return null;
}

const fromBase64 = (base64: string): ImageRef => {
  const mediaType = sniff(base64);
  return mediaType ? { kind: "data", base64, mediaType } : { kind: "unsent", reason: "unusable" };
};

/** Absolute or relative paths, `~/…`, `file:` URLs, Windows drives: a file the model cannot see. */
const LOCAL_FILE = /^(?:file:|~[\\/]|\.{0,2}[\\/]|[A-Za-z]:[\\/])|^[^\s:]+\.(?:png|jpe?g|gif|webp|bmp|tiff?|svg|heic)$/i;

/**
 * A stored string: a data URI (`data:image/png;base64,…`, what the Python Victor writes), an
 * http(s) URL, or bare base64 (the Python Victor's Anthropic adapter took those as PNG).
 */
export function imageFromString(value: string): ImageRef {
  const text = value.trim();
  const dataUri = DATA_URI.exec(text);
  if (dataUri) return fromBase64(dataUri[2]!.replace(/\s+/g, ""));
  if (/^https?:\/\//i.test(text)) return { kind: "unsent", reason: "link" };
  // Before the path test: base64 of a JPEG starts with "/9j/".
  const bare = fromBase64(text.replace(/\s+/g, ""));
  if (bare.kind === "unsent" && LOCAL_FILE.test(text)) return { kind: "unsent", reason: "local-file" };
  return bare;
}

/**
 * One part of a content list, when it is an image (null otherwise): OpenAI chat's `image_url`
 * (`{url}` or a string), the Responses API's and Codex's `input_image`, Anthropic's and Claude
 * Code's `image` block (base64 or url source), Gemini's `inlineData` and `fileData`.
 */
export function imageFromPart(part: unknown): ImageRef | null {
  if (!isObject(part)) return null;
  if (part.type === "image_url" || part.type === "input_image") {
    const url = isObject(part.image_url) ? part.image_url.url : part.image_url;
    return typeof url === "string" ? imageFromString(url) : { kind: "unsent", reason: "unusable" };
  }
  if (part.type === "image") {
    const source = isObject(part.source) ? part.source : {};
    if (source.type === "base64" && typeof source.data === "string") return fromBase64(source.data);
    if (source.type === "url" && typeof source.url === "string") return imageFromString(source.url);
    return { kind: "unsent", reason: "unusable" };
  }
  if (isObject(part.inlineData)) {
    const { data, mimeType } = part.inlineData;
    if (typeof mimeType === "string" && !mimeType.startsWith("image/")) return null;
    return typeof data === "string" ? fromBase64(data) : { kind: "unsent", reason: "unusable" };
  }
  if (isObject(part.fileData)) {
    const { fileUri, mimeType } = part.fileData;
    if (typeof mimeType === "string" && !mimeType.startsWith("image/")) return null;
    return typeof fileUri === "string" ? imageFromString(fileUri) : { kind: "unsent", reason: "unusable" };
  }
  return null;
}
