import type { ContextChangeKind, Conversation, Message, SaveSessionInput, Session } from "@victor/core";
import type { ModelTarget } from "../providers/config.js";

export const DEFAULT_SYSTEM_PROMPT = "You are Victor, an AI coding assistant.";

/** The conversation fields other than messages (system_prompt, system_added, max_history, …). */
export interface ConversationExtras {
  system_prompt?: string;
  system_added?: boolean;
  max_history?: number;
  [key: string]: unknown;
}

const freshExtras = (): ConversationExtras => ({ system_prompt: DEFAULT_SYSTEM_PROMPT, system_added: false, max_history: 100000 });

/**
 * What a chat keeps of the session it came from besides messages: a copy (`/save --new`) carries it
 * over as `sessions fork` does — title, tags, unknown keys, creation time.
 */
export interface SessionOrigin {
  title: string;
  titleIsCustom: boolean;
  tags: string[];
  createdAt: string;
  /** Unknown top-level envelope keys and unknown metadata keys, kept verbatim. */
  extra: Record<string, unknown>;
  metadataExtra: Record<string, unknown>;
}

/** Metadata key under which an openai-compatible session remembers its server. */
export const BASE_URL_KEY = "base_url";

const STANDARD_METADATA = new Set(["session_id", "created_at", "updated_at", "model", "provider", "profile", "message_count", "title", "tags", "title_is_custom", "revision", "parent_id", "fork_point"]);
const STANDARD_ENVELOPE = new Set(["metadata", "conversation", "conversation_state", "tool_selection_stats", "context_history"]);

/** A compaction or rewind of the open conversation, not saved yet: what /compact --undo takes back. */
export interface UnsavedChange {
  kind: Extract<ContextChangeKind, "compact" | "compact-smart" | "rewind">;
  /** The conversation before it. */
  before: readonly Message[];
  /** How many messages it left (later ones were added after it). */
  through: number;
}

function originOf(session: Session): SessionOrigin {
  const m = session.metadata;
  return {
    title: m.title,
    titleIsCustom: m.title_is_custom === true,
    tags: Array.isArray(m.tags) ? [...m.tags] : [],
    createdAt: m.created_at,
    extra: Object.fromEntries(Object.entries(session).filter(([k]) => !STANDARD_ENVELOPE.has(k))),
    metadataExtra: Object.fromEntries(Object.entries(m).filter(([k]) => !STANDARD_METADATA.has(k))),
  };
}

/**
 * The REPL's state: the conversation (message objects are never mutated — replaced or appended),
 * the model target and the session it belongs to. Changed only through the methods below, each of
 * which keeps "what is saved" consistent.
 */
export class ChatState {
  private messageList: Message[] = [];
  private extras: ConversationExtras = freshExtras();
  private modelTarget: ModelTarget;
  private profileName: string;
  private stateValue: unknown = null;
  private statsValue: unknown = null;
  /**
   * The session a plain /save updates. The revision it was loaded or saved at is the store's to
   * know (it refuses a save whose base moved: safe by default).
   */
  private active: { id: string } | null = null;
  private origin: SessionOrigin | null = null;
  /** A legacy JSON session opened with /load: its first /save creates it under this id with these fields. */
  private legacy: (SaveSessionInput & { sessionId: string }) | null = null;
  /** The messages as last saved or loaded; anything else is unsaved. */
  private savedMessages: readonly Message[] = [];
  /** Compactions and rewinds since the last save, oldest first. */
  private changes: UnsavedChange[] = [];
  /** An undo of the stored session's latest context change, written by the next save; `restored` are stored rows. */
  private storedUndo: { epoch: number; restored: readonly Message[] } | null = null;
  /** A message whose reply failed or was stopped: not in the conversation, kept for /retry. */
  private unansweredText: string | null = null;
  private imageNote: string | null = null;
  private autosaveOn = false;

  constructor(target: ModelTarget & { profile?: string }) {
    this.modelTarget = { provider: target.provider, model: target.model, ...(target.baseUrl ? { baseUrl: target.baseUrl } : {}) };
    this.profileName = target.profile ?? "default";
  }

  get messages(): readonly Message[] {
    return this.messageList;
  }
  get provider(): string {
    return this.modelTarget.provider;
  }
  get model(): string {
    return this.modelTarget.model;
  }
  get baseUrl(): string | undefined {
    return this.modelTarget.baseUrl;
  }
  get target(): ModelTarget {
    return { ...this.modelTarget };
  }
  get profile(): string {
    return this.profileName;
  }
  get systemPrompt(): string | undefined {
    return this.extras.system_prompt;
  }
  get activeSessionId(): string | null {
    return this.active?.id ?? null;
  }
  get pendingImport(): (SaveSessionInput & { sessionId: string }) | null {
    return this.legacy;
  }
  get sessionOrigin(): SessionOrigin | null {
    return this.origin;
  }
  get conversationState(): unknown {
    return this.stateValue;
  }
  get toolSelectionStats(): unknown {
    return this.statsValue;
  }

  get unanswered(): string | null {
    return this.unansweredText;
  }
  get autosave(): boolean {
    return this.autosaveOn;
  }

  /** Remembers (or forgets, with null) the message /retry would send again. */
  noteUnanswered(text: string | null): void {
    this.unansweredText = text;
  }

  /**
   * Whether this note about images left out of requests is news: every reply sends the whole
   * conversation again, and the same note each time would only be noise.
   */
  isNewImageNote(note: string): boolean {
    const news = note !== this.imageNote;
    this.imageNote = note;
    return news;
  }

  setAutosave(on: boolean): void {
    this.autosaveOn = on;
  }

  get conversation(): Conversation {
    return { ...this.extras, messages: this.messageList };
  }

  /** Messages a person wrote or read (not the system prompt). */
  get turnCount(): number {
    return this.messageList.filter((m) => m.role !== "system").length;
  }

  /** Nothing typed, nothing opened: a chat as it starts. */
  get isEmpty(): boolean {
    return this.active === null && this.legacy === null && this.turnCount === 0;
  }

  get hasUnsavedMessages(): boolean {
    const saved = this.savedMessages;
    if (saved.length === this.messageList.length && saved.every((m, i) => m === this.messageList[i])) return false;
    return this.messageList.some((m) => m.role !== "system") || saved.length > 0;
  }

  /** Changes provider and/or model (and the server of an openai-compatible provider). */
  setTarget(change: Partial<ModelTarget>): void {
    const next = { ...this.modelTarget, ...change };
    this.modelTarget = { provider: next.provider, model: next.model, ...(next.baseUrl ? { baseUrl: next.baseUrl } : {}) };
  }

  append(message: Message): void {
    this.messageList = [...this.messageList, message];
  }

  /** Takes back the last message if it is this one (a message whose reply failed). */
  withdraw(message: Message): boolean {
    if (this.messageList.at(-1) !== message) return false;
    this.messageList = this.messageList.slice(0, -1);
    return true;
  }

  /** A compacted or rewound conversation: same session, written (and recorded as such) at the next /save. */
  changeContext(kind: UnsavedChange["kind"], messages: readonly Message[]): void {
    this.changes.push({ kind, before: this.messageList, through: messages.length });
    this.messageList = messages.slice();
  }

  /**
   * Takes back the latest compaction or rewind not saved yet: the conversation before it, plus
   * what was added since. Null when there is none.
   */
  undoUnsavedChange(): UnsavedChange | null {
    const change = this.changes.pop();
    if (!change) return null;
    this.messageList = [...change.before, ...this.messageList.slice(change.through)];
    return change;
  }

  /** An undo of the stored session's latest change is waiting for /save. */
  get undoPending(): boolean {
    return this.storedUndo !== null;
  }

  /**
   * The stored session's latest change undone (see SessionStore.previewUndo): `restored` is its
   * context then; messages added since the last save stay after it. Written at the next /save. For
   * when no change is unsaved (undoUnsavedChange came back empty): the conversation is then the
   * saved one plus what was added.
   */
  undoStoredChange(epoch: number, restored: readonly Message[]): void {
    const unsaved = this.messageList.slice(this.savedMessages.length);
    this.messageList = [...restored, ...unsaved];
    this.storedUndo = { epoch, restored };
  }

  /** What the next save of the active session tells the store about its context (see SaveSessionInput.contextChange). */
  get contextChange(): SaveSessionInput["contextChange"] {
    return this.describeChanges(this.changes);
  }

  private describeChanges(changes: readonly UnsavedChange[]): SaveSessionInput["contextChange"] {
    const last = changes.at(-1);
    const described = last ? { kind: last.kind, through: last.through } : undefined;
    if (this.storedUndo) return { kind: "undo", epoch: this.storedUndo.epoch, ...(described ? { then: described } : {}) };
    return described;
  }

  /**
   * The first compaction since the last save whose conversation held messages stored nowhere (typed
   * after the last save, or never saved at all): that conversation, which a save must store first so
   * that the compaction keeps what it dropped in the session's history like saved messages, and an
   * undo brings its context back exactly. Null when there is none. A rewind is not one: what it
   * drops is kept at once in a fork.
   */
  get unsavedDrop(): { index: number; messages: readonly Message[]; contextChange: SaveSessionInput["contextChange"] } | null {
    const stored = new Set<Message>([...this.savedMessages, ...(this.storedUndo?.restored ?? [])]);
    const index = this.changes.findIndex((c) => c.kind !== "rewind" && c.before.some((m) => !stored.has(m)));
    if (index === -1) return null;
    return { index, messages: this.changes[index]!.before, contextChange: this.describeChanges(this.changes.slice(0, index)) };
  }

  /** The conversation of `unsavedDrop` (at `index`) was saved as this session: the changes from there on are still to save. */
  markSavedBefore(index: number, sessionId: string, origin: SessionOrigin): void {
    const rest = this.changes.slice(index);
    this.active = { id: sessionId };
    this.origin = origin;
    this.legacy = null;
    this.savedMessages = rest[0]?.before ?? this.messageList.slice();
    this.changes = rest;
    this.storedUndo = null;
  }

  markSaved(sessionId: string, origin: SessionOrigin | null = this.origin): void {
    this.active = { id: sessionId };
    this.origin = origin;
    this.legacy = null;
    this.savedMessages = this.messageList.slice();
    this.changes = [];
    this.storedUndo = null;
  }

  /** Starts over: an empty conversation that belongs to no session. */
  reset(): void {
    this.messageList = [];
    this.extras = freshExtras();
    this.stateValue = null;
    this.statsValue = null;
    this.active = null;
    this.origin = null;
    this.legacy = null;
    this.savedMessages = [];
    this.changes = [];
    this.storedUndo = null;
    this.unansweredText = null;
    this.imageNote = null;
  }

  /**
   * A stored session becomes the conversation: messages, model (unless `override` names one),
   * profile, state, and the server of an openai-compatible session.
   */
  restoreSession(session: Session, override: Partial<ModelTarget> = {}): void {
    const { messages, ...extras } = session.conversation;
    const m = session.metadata;
    this.messageList = messages.slice();
    this.extras = extras;
    const savedBaseUrl = typeof m[BASE_URL_KEY] === "string" ? (m[BASE_URL_KEY] as string) : undefined;
    this.setTarget({
      provider: override.provider ?? (m.provider || this.provider),
      model: override.model ?? (m.model || this.model),
      baseUrl: override.baseUrl ?? savedBaseUrl ?? this.baseUrl,
    });
    this.profileName = m.profile || this.profileName;
    this.stateValue = session.conversation_state ?? null;
    this.statsValue = session.tool_selection_stats ?? null;
    this.markSaved(m.session_id, originOf(session));
    this.imageNote = null;
  }

  /** A legacy JSON session (/load): not saved anywhere yet; its first /save creates it under its own id. */
  openLegacy(input: SaveSessionInput & { sessionId: string }): void {
    const { messages, ...extras } = input.conversation;
    this.messageList = messages.slice();
    this.extras = extras;
    this.setTarget({ provider: input.provider || this.provider, model: input.model || this.model });
    this.profileName = input.profile ?? this.profileName;
    this.stateValue = input.conversationState ?? null;
    this.statsValue = input.toolSelectionStats ?? null;
    this.active = null;
    this.origin = null;
    this.legacy = input;
    this.savedMessages = [];
    this.changes = [];
    this.storedUndo = null;
    this.imageNote = null;
  }
}
