import type { Conversation, Message, SaveSessionInput, Session } from "@victor/core";
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

const STANDARD_METADATA = new Set(["session_id", "created_at", "updated_at", "model", "provider", "profile", "message_count", "title", "tags", "title_is_custom", "revision", "parent_id"]);
const STANDARD_ENVELOPE = new Set(["metadata", "conversation", "conversation_state", "tool_selection_stats"]);

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
  /** A message whose reply failed or was stopped: not in the conversation, kept for /retry. */
  private unansweredText: string | null = null;
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

  /** A compacted conversation: same session, written at the next /save. */
  replaceMessages(messages: readonly Message[]): void {
    this.messageList = messages.slice();
  }

  markSaved(sessionId: string, origin: SessionOrigin | null = this.origin): void {
    this.active = { id: sessionId };
    this.origin = origin;
    this.legacy = null;
    this.savedMessages = this.messageList.slice();
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
    this.unansweredText = null;
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
  }
}
