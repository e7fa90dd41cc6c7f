import { ChatMessage } from '../providers/chat.types';
import { MemoryRecord } from './memory.types';

/** The opening line of the injected message; tests and operators can recognise it by this. */
export const MEMORY_MESSAGE_HEADER =
  'Relevant memories from earlier conversations (oldest first; they may be out of date). ' +
  'Use them only where they help answer the user:';

// The latest user message carries the intent; a little of the turn before gives it context
// ("yes, book it" needs the assistant's question), without letting old turns dominate.
const CONTEXT_CHARS = 300;
const LEADING_ROLES = new Set(['system', 'developer']);

/** The text of a message: its string content or its text parts; images and audio carry none. */
export function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === 'string') {
    return content;
  }
  if (!Array.isArray(content)) {
    return '';
  }
  return content
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('\n');
}

/** What to search memory for: the latest user message and the end of the turn before it. */
export function retrievalQuery(messages: readonly ChatMessage[]): string {
  const lastUser = findLastIndex(messages, (message) => message.role === 'user');
  if (lastUser < 0) {
    return '';
  }
  const previous = lastUser > 0 ? messageText(messages[lastUser - 1]) : '';
  const context = previous.length > CONTEXT_CHARS ? previous.slice(-CONTEXT_CHARS) : previous;
  return [context, messageText(messages[lastUser])].filter((text) => text !== '').join('\n');
}

/**
 * The turns a completed request adds to memory: the user messages after the last assistant
 * message (the earlier ones were stored when they were new, or are the caller's history).
 */
export function newUserTurns(messages: readonly ChatMessage[]): string[] {
  const lastAssistant = findLastIndex(messages, (message) => message.role === 'assistant');
  return messages
    .slice(lastAssistant + 1)
    .filter((message) => message.role === 'user')
    .map(messageText)
    .filter((text) => text.trim() !== '');
}

/** The assistant's turn the new user turns answer (the last one in the request), if any. */
export function turnBeforeNewUserTurns(messages: readonly ChatMessage[]): string | undefined {
  const lastAssistant = findLastIndex(messages, (message) => message.role === 'assistant');
  return lastAssistant < 0 ? undefined : messageText(messages[lastAssistant]);
}

/**
 * Keeps the best-ranked memories that fit the token budget (skipping ones that would overflow
 * it, so one long memory does not crowd out several short ones), leaving out memories the
 * request already carries word for word.
 */
export function selectMemories<T extends MemoryRecord>(
  ranked: readonly T[],
  messages: readonly ChatMessage[],
  maxTokens: number,
  countTokens: (text: string) => number,
): T[] {
  const present = new Set(messages.map(messageText));
  let budget = maxTokens - countTokens(MEMORY_MESSAGE_HEADER);
  const chosen: T[] = [];
  for (const memory of ranked) {
    if (present.has(memory.content)) {
      continue;
    }
    const cost = countTokens(memoryLine(memory));
    if (cost <= budget) {
      chosen.push(memory);
      budget -= cost;
    }
  }
  return chosen;
}

/** One system message listing the memories oldest first, each with its date and speaker. */
export function memoryMessage(memories: readonly MemoryRecord[]): ChatMessage {
  const lines = [...memories]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map(memoryLine);
  return { role: 'system', content: [MEMORY_MESSAGE_HEADER, ...lines].join('\n') };
}

/** A copy of the messages with `added` after the caller's leading system/developer messages. */
export function withMemoryMessage(
  messages: readonly ChatMessage[],
  added: ChatMessage,
): ChatMessage[] {
  let at = 0;
  while (at < messages.length && LEADING_ROLES.has(messages[at].role)) {
    at += 1;
  }
  return [...messages.slice(0, at), added, ...messages.slice(at)];
}

function memoryLine(memory: MemoryRecord): string {
  // Minutes are enough to order a conversation; the UTC label keeps dates unambiguous.
  const when = memory.createdAt.toISOString().slice(0, 16).replace('T', ' ');
  return `- [${when} UTC] ${memory.role}: ${memory.content.replace(/\s*\n\s*/g, ' ')}`;
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index -= 1) {
    if (test(items[index])) {
      return index;
    }
  }
  return -1;
}
