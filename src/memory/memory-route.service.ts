import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';

import { ApiKeyIdentity } from '../auth/api-key.types';
import { ChatMessage } from '../providers/chat.types';
import { CapturedAnswer } from './answer-capture';
import { MemoryCompletionQueryDto, MemoryMode } from './dto/memory-query.dto';
import {
  MemoryStatus,
  sendMemoryNamespace,
  sendMemoryRecall,
  sendMemoryStatus,
} from './memory-headers';
import { MemoryService } from './memory.service';
import { DEFAULT_NAMESPACE, memoryScope, MemoryScope } from './namespace';

/** What recall brought into a conversation. */
export interface Recalled {
  /** The caller's messages, as `conversation` gave them: what is remembered afterwards. */
  conversation: ChatMessage[];
  /** The messages to forward: the conversation, with the memory message when one was added. */
  messages: ChatMessage[];
  /** The added memory message, if any (for callers that forward another shape than chat). */
  memoryMessage?: ChatMessage;
}

/**
 * One request on a memory route (`/v1/memory/chat/completions`, `/v1/memory/responses`): its
 * namespace and mode, the memory headers (memory-headers.ts), recall before the upstream and remember after.
 */
export class MemoryTurn {
  /** When the request came in: the new user turns are stored as of then. */
  readonly startedAt = new Date();

  constructor(
    private readonly memory: MemoryService,
    readonly scope: MemoryScope,
    readonly mode: MemoryMode,
    private readonly request: Request,
    private readonly response: Response,
  ) {}

  /** Whether the answer is to be kept (modes write and readwrite). */
  get remembers(): boolean {
    return this.mode === 'write' || this.mode === 'readwrite';
  }

  /**
   * Sets the memory headers and, when the mode reads, brings the namespace's memories into the
   * conversation. Undefined when memory is off: the request goes on untouched. `conversation`
   * is asked for only when memory is on, as the caller's messages in chat form.
   */
  async recall(conversation: () => ChatMessage[]): Promise<Recalled | undefined> {
    sendMemoryNamespace(this.response, this.scope.namespace);
    if (this.mode === 'off') {
      sendMemoryStatus(this.response, 'off');
      return undefined;
    }
    const messages = conversation();
    let recalled: Recalled = { conversation: messages, messages };
    let status: MemoryStatus = 'ok';
    if (this.mode === 'read' || this.mode === 'readwrite') {
      const recall = await this.memory.recall(this.scope, messages);
      const memoryMessage = recall.messages.find((message) => !messages.includes(message));
      recalled = { conversation: messages, messages: recall.messages, memoryMessage };
      status = recall.available ? 'ok' : 'unavailable';
      sendMemoryRecall(this.response, recall);
    }
    sendMemoryStatus(this.response, status);
    return recalled;
  }

  /**
   * Keeps the caller's new turns (not the forwarded messages: injected memories are not new
   * turns) and the answer. A client that went away before the end gets nothing kept, even if
   * the upstream finished.
   */
  remember(conversation: readonly ChatMessage[], answer: CapturedAnswer): void {
    if (this.response.destroyed) {
      return;
    }
    this.memory.remember(this.scope, conversation, answer, {
      requestId: this.request.id as string,
      startedAt: this.startedAt,
    });
  }
}

/** Opens a MemoryTurn for each request on a memory route. */
@Injectable()
export class MemoryRouteService {
  constructor(private readonly memory: MemoryService) {}

  /** The namespace named by the query, else the key's own default, else `default`. */
  begin(
    key: ApiKeyIdentity,
    query: MemoryCompletionQueryDto,
    request: Request,
    response: Response,
  ): MemoryTurn {
    const namespace = query.namespace ?? key.memoryNamespace ?? DEFAULT_NAMESPACE;
    const mode = query.memory ?? 'readwrite';
    return new MemoryTurn(this.memory, memoryScope(key, namespace), mode, request, response);
  }
}
