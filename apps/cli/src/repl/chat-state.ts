import type { Conversation, Message, SaveSessionInput } from "@victor/core";

export const DEFAULT_SYSTEM_PROMPT = "You are Victor, an AI coding assistant.";

/** The conversation fields other than messages (system_prompt, system_added, max_history, …). */
export interface ConversationExtras {
  system_prompt?: string;
  system_added?: boolean;
  max_history?: number;
  [key: string]: unknown;
}

/**
 * The REPL's state: the conversation (message objects are never mutated — replaced or appended),
 * the model target and which session it belongs to.
 */
export class ChatState {
  messages: Message[] = [];
  extras: ConversationExtras = { system_prompt: DEFAULT_SYSTEM_PROMPT, system_added: false, max_history: 100000 };
  provider: string;
  model: string;
  profile: string;
  baseUrl: string | undefined;
  conversationState: unknown = null;
  toolSelectionStats: unknown = null;
  /** The session a plain /save updates, with the revision it was loaded or saved at. */
  activeSessionId: string | null = null;
  revision: number | null = null;
  /** A legacy JSON session opened with /load: its first /save creates it under this id with these fields. */
  pendingImport: (SaveSessionInput & { sessionId: string }) | null = null;
  /** The messages as last saved or loaded; anything else is unsaved. */
  private savedMessages: readonly Message[] = [];

  constructor(target: { provider: string; model: string; profile?: string; baseUrl?: string }) {
    this.provider = target.provider;
    this.model = target.model;
    this.profile = target.profile ?? "default";
    this.baseUrl = target.baseUrl;
  }

  get conversation(): Conversation {
    return { ...this.extras, messages: this.messages };
  }

  get target(): { provider: string; model: string; baseUrl?: string } {
    return { provider: this.provider, model: this.model, ...(this.baseUrl ? { baseUrl: this.baseUrl } : {}) };
  }

  /** Messages that are not the system prompt (what "unsaved messages" is about). */
  get hasUnsavedMessages(): boolean {
    const saved = this.savedMessages;
    if (saved.length === this.messages.length && saved.every((m, i) => m === this.messages[i])) return false;
    return this.messages.some((m) => m.role !== "system") || saved.length > 0;
  }

  markSaved(sessionId: string, revision: number): void {
    this.activeSessionId = sessionId;
    this.revision = revision;
    this.pendingImport = null;
    this.savedMessages = this.messages.slice();
  }

  append(message: Message): void {
    this.messages = [...this.messages, message];
  }

  /** Starts over: an empty conversation that belongs to no session. */
  reset(): void {
    this.messages = [];
    this.extras = { system_prompt: DEFAULT_SYSTEM_PROMPT, system_added: false, max_history: 100000 };
    this.conversationState = null;
    this.toolSelectionStats = null;
    this.activeSessionId = null;
    this.revision = null;
    this.pendingImport = null;
    this.savedMessages = [];
  }

  /** Replaces the conversation with a stored or imported one. */
  restore(conversation: Conversation, saved: boolean): void {
    const { messages, ...extras } = conversation;
    this.messages = messages.slice();
    this.extras = extras;
    this.savedMessages = saved ? this.messages.slice() : [];
  }
}
