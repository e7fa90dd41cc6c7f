import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { GatewayException } from '../common/errors/gateway.exception';
import { firstProblem } from '../common/validation/openai-validation.pipe';
import { parseMemoryDate } from './dto/is-iso-date-or-unix-seconds.validator';
import { MAX_BATCH, MemoryDto, NamespaceDto, NewMemoryDto } from './dto/memory.dto';
import { metadataProblem, storableJson, storableText } from './memory-input';
import { MemoryRecord, NamespaceSummary, NewMemory, ScoredMemory } from './memory.types';

export function toMemoryDto(memory: MemoryRecord | ScoredMemory): MemoryDto {
  return {
    id: memory.id,
    object: 'memory',
    namespace: memory.namespace,
    role: memory.role,
    content: memory.content,
    model: memory.model,
    request_id: memory.requestId,
    metadata: memory.metadata,
    created_at: memory.createdAt.toISOString(),
    ...('score' in memory ? { score: memory.score } : {}),
  };
}

export function toNamespaceDto(
  namespace: string,
  summary: NamespaceSummary | undefined,
  shared: boolean,
): NamespaceDto {
  return {
    object: 'memory.namespace',
    namespace,
    memory_count: summary?.count ?? 0,
    last_created_at: summary?.lastCreatedAt.toISOString() ?? null,
    shared,
  };
}

/**
 * The body of an add: one memory or an array of them. Validated here rather than by the global
 * pipe because a DTO cannot be "one or many"; errors name the item (`[2].content`) as the pipe
 * names fields.
 */
export function parseNewMemories(body: unknown): NewMemory[] {
  const batch = Array.isArray(body);
  const items: unknown[] = batch ? body : [body];
  if (items.length === 0 || items.length > MAX_BATCH) {
    throw GatewayException.invalidRequest(
      `Send one memory or an array of 1 to ${MAX_BATCH} memories.`,
      null,
      'invalid_value',
    );
  }
  return items.map((item, index) => {
    const prefix = batch ? `[${index}]` : '';
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw GatewayException.invalidRequest(
        `Invalid '${prefix || 'body'}': each memory must be an object with "content".`,
        prefix || null,
        'invalid_value',
      );
    }
    const dto = plainToInstance(NewMemoryDto, item);
    const problem = firstProblem(validateSync(dto));
    if (problem) {
      const param = batch ? `${prefix}.${problem.param}` : problem.param;
      throw GatewayException.invalidRequest(
        `Invalid '${param}': ${problem.message}`,
        param,
        'invalid_value',
      );
    }
    const content = storableText(dto.content);
    if (content.trim() === '') {
      const param = `${prefix}${prefix ? '.' : ''}content`;
      throw GatewayException.invalidRequest(
        `Invalid '${param}': content must have text besides NUL characters`,
        param,
        'invalid_value',
      );
    }
    const metadata =
      dto.metadata === undefined
        ? undefined
        : (storableJson(dto.metadata) as Record<string, unknown>);
    const metadataIssue = metadata === undefined ? undefined : metadataProblem(metadata);
    if (metadataIssue !== undefined) {
      const param = `${prefix}${prefix ? '.' : ''}metadata`;
      throw GatewayException.invalidRequest(
        `Invalid '${param}': metadata ${metadataIssue}`,
        param,
        'invalid_value',
      );
    }
    return {
      content,
      role: dto.role,
      metadata,
      createdAt: dto.created_at === undefined ? undefined : parseMemoryDate(dto.created_at),
    };
  });
}
