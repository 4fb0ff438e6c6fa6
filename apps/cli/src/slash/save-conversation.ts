import { PythonVictorDatabaseError, SessionConflictError, SessionExistsError, type Message, type SaveSessionInput, type SaveSessionResult, type SessionStore } from "@victor/core";
import { BASE_URL_KEY, type ChatState, type SessionOrigin } from "../repl/chat-state.js";
import type { SlashContext } from "./types.js";

export interface SaveRequest {
  title?: string;
  /** Always a new session (a copy that keeps title, tags, unknown keys and creation time). */
  asNew?: boolean;
  /** Overwrite a save made by another process meanwhile. */
  force?: boolean;
}

/** Metadata keys of unknown meaning kept from the session, plus the server of an openai-compatible chat. */
function metadataExtraOf(state: ChatState): Record<string, unknown> | undefined {
  const kept = { ...(state.sessionOrigin?.metadataExtra ?? {}) };
  delete kept[BASE_URL_KEY];
  if (state.provider === "openai-compatible" && state.baseUrl) kept[BASE_URL_KEY] = state.baseUrl;
  return Object.keys(kept).length > 0 || state.sessionOrigin ? kept : undefined;
}

/** A conversation the chat held earlier (see ChatState.unsavedDrop), saved in place of the current one. */
type EarlierConversation = Pick<SaveSessionInput, "contextChange"> & { messages: readonly Message[] };

/** What `saveSession` is asked for this chat and request (for the conversation as it is, or as it was `earlier`). */
export function saveInputFor(state: ChatState, request: SaveRequest, earlier?: EarlierConversation): SaveSessionInput {
  const common: SaveSessionInput = {
    conversation: earlier ? { ...state.conversation, messages: [...earlier.messages] } : state.conversation,
    model: state.model,
    provider: state.provider,
    profile: state.profile,
    conversationState: state.conversationState,
    toolSelectionStats: state.toolSelectionStats,
    ...(request.title ? { title: request.title } : {}),
  };
  const metadataExtra = metadataExtraOf(state);
  const origin = state.sessionOrigin;
  if (request.asNew) {
    // Like `victor sessions fork`: the copy keeps what the session was besides its id.
    return {
      ...common,
      ...(origin
        ? { title: request.title ?? (origin.titleIsCustom ? origin.title : undefined), tags: origin.tags, createdAt: origin.createdAt, extra: origin.extra }
        : {}),
      ...(metadataExtra ? { metadataExtra } : {}),
      ...(state.activeSessionId ? { parentId: state.activeSessionId } : {}),
    };
  }
  const legacy = state.pendingImport;
  if (legacy) {
    // A legacy session opened with /load: keep its id, timestamps, tags and unknown keys.
    const { conversation: _old, title: legacyTitle, ...kept } = legacy;
    return { ...kept, ...common, title: request.title ?? legacyTitle, ...(request.force ? { replace: true } : { createOnly: true }) };
  }
  if (state.activeSessionId) {
    const contextChange = earlier ? earlier.contextChange : state.contextChange;
    return {
      ...common,
      ...(metadataExtra ? { metadataExtra } : {}),
      // A compaction, rewind or undo since the last save: recorded as such (see the store's epochs).
      ...(contextChange ? { contextChange } : {}),
      sessionId: state.activeSessionId,
      // The store refuses a save whose base moved since this chat loaded or saved it; --force overrides.
      ...(request.force ? { force: true } : {}),
    };
  }
  return { ...common, ...(metadataExtra ? { metadataExtra } : {}) };
}

/**
 * `refused`: a save another process made meanwhile, or a legacy id already taken (the message names
 * the two ways out, `/save --new` and `/save --force`). `notYet`: the database is still the Python
 * Victor's; the same save works once victor-migrate has upgraded it, from any terminal.
 */
export type SaveOutcome = { saved: SaveSessionResult; store: SessionStore } | { refused: string } | { notYet: string } | { nothing: true };

/** Saves the conversation; when it is not saved, the chat is unchanged and keeps every message. */
export async function saveConversation(ctx: SlashContext, request: SaveRequest): Promise<SaveOutcome> {
  const { state } = ctx;
  if (state.isEmpty) return { nothing: true };
  let store: SessionStore;
  try {
    store = await ctx.store();
  } catch (error) {
    if (!(error instanceof PythonVictorDatabaseError)) throw error;
    return {
      notYet: `${error.dbPath} is still the Python Victor's database. Run victor-migrate (e.g. in another terminal), then /save again; your conversation is kept until then.`,
    };
  }
  try {
    // Messages a compaction dropped before they were ever saved are stored first, as the
    // conversation was then, so that the compaction keeps them in the history like saved ones.
    let current = request;
    let created = false;
    for (let drop = state.unsavedDrop; drop; drop = state.unsavedDrop) {
      const input = saveInputFor(state, current, drop);
      const early = await store.saveSession(input);
      created ||= early.created;
      state.markSavedBefore(drop.index, early.sessionId, originAfter(state, current, input, early));
      current = { ...request, asNew: false };
    }
    const input = saveInputFor(state, current);
    const saved = await store.saveSession(input);
    // The chat keeps its connection open for hours: the save goes into project.db now, not only the -wal.
    await store.checkpoint();
    state.markSaved(saved.sessionId, originAfter(state, current, input, saved));
    return { saved: { ...saved, created: saved.created || created }, store };
  } catch (error) {
    if (error instanceof SessionConflictError) return { refused: error.message };
    if (error instanceof SessionExistsError) {
      return { refused: `a session ${error.sessionId} is already in the database. Choose: /save --new (save as a new session) or /save --force (overwrite it).` };
    }
    throw error;
  }
}

/** What the chat keeps of the session this save wrote (see SessionOrigin). */
function originAfter(state: ChatState, request: SaveRequest, input: SaveSessionInput, saved: SaveSessionResult): SessionOrigin {
  const loaded = request.asNew ? null : state.sessionOrigin;
  return {
    title: saved.title,
    titleIsCustom: input.title !== undefined || (loaded?.titleIsCustom ?? false),
    tags: input.tags ?? loaded?.tags ?? [],
    createdAt: input.createdAt ?? loaded?.createdAt ?? new Date().toISOString(),
    extra: input.extra ?? loaded?.extra ?? {},
    metadataExtra: input.metadataExtra ?? loaded?.metadataExtra ?? {},
  };
}
