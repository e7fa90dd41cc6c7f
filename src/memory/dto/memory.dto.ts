import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsObject, IsString, MaxLength, ValidateIf } from 'class-validator';

import { MAX_MEMORY_CHARS } from '../memory-input';
import { IsIsoDateOrUnixSeconds } from './is-iso-date-or-unix-seconds.validator';

/** Optional, but `null` is an error (class-validator's IsOptional would let it through). */
const IsOptionalNotNull = () => ValidateIf((_, value) => value !== undefined);

export const MEMORY_ROLES = ['user', 'assistant', 'system'] as const;
/** One memory's text at most; a memory is a turn, not a document. */
export { MAX_MEMORY_CHARS };
export const MAX_BATCH = 1000;

export class NewMemoryDto {
  @ApiProperty({ example: 'My dog is called Rex.', maxLength: MAX_MEMORY_CHARS })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_MEMORY_CHARS)
  content: string;

  @ApiPropertyOptional({ enum: MEMORY_ROLES, default: 'user' })
  @IsOptionalNotNull()
  @IsIn(MEMORY_ROLES)
  role?: (typeof MEMORY_ROLES)[number];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { source: 'onboarding' },
  })
  @IsOptionalNotNull()
  @IsObject()
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'When it was said: ISO 8601 or unix seconds, from 1970 to 2099. Default: now.',
    oneOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }],
    example: '2026-11-20T14:03:00Z',
  })
  @IsOptionalNotNull()
  @IsIsoDateOrUnixSeconds()
  created_at?: string | number;
}

export class MemoryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'memory' }) object: 'memory';
  @ApiProperty({ example: 'user123' }) namespace: string;
  @ApiProperty({ example: 'user' }) role: string;
  @ApiProperty({ example: 'My dog is called Rex.' }) content: string;
  @ApiProperty({ nullable: true, type: String, example: 'gpt-4o-mini' }) model: string | null;
  @ApiProperty({ nullable: true, type: String }) request_id: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  metadata: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiPropertyOptional({ description: 'Relevance in [0, 1), with `q` only.' }) score?: number;
}

export class MemoryListDto {
  @ApiProperty({ example: 'list' }) object: 'list';
  @ApiProperty({ type: [MemoryDto] }) data: MemoryDto[];
  @ApiProperty() has_more: boolean;
  @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
}

class AddedMemoryDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) id: string | null;
  @ApiProperty({
    description: 'Already stored (same role and content): not stored twice.',
    example: false,
  })
  duplicate: boolean;
}

export class AddMemoriesResultDto {
  @ApiProperty({ example: 'list' }) object: 'list';
  @ApiProperty({ type: [AddedMemoryDto] }) data: AddedMemoryDto[];
  @ApiProperty({ example: 1 }) inserted: number;
  @ApiProperty({ example: 0 }) skipped: number;
}

export class NamespaceDto {
  @ApiProperty({ example: 'memory.namespace' }) object: 'memory.namespace';
  @ApiProperty({ example: 'user123' }) namespace: string;
  @ApiProperty() memory_count: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  last_created_at: string | null;
  @ApiProperty({ description: 'Shared with the other keys granted it in the keys file.' })
  shared: boolean;
}

export class NamespaceListDto {
  @ApiProperty({ example: 'list' }) object: 'list';
  @ApiProperty({ type: [NamespaceDto] }) data: NamespaceDto[];
}

export class MemoryDeletedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'memory.deleted' }) object: 'memory.deleted';
  @ApiProperty({ example: true }) deleted: true;
}

export class NamespaceDeletedDto {
  @ApiProperty({ example: 'memory.namespace.deleted' }) object: 'memory.namespace.deleted';
  @ApiProperty({ example: 'user123' }) namespace: string;
  @ApiProperty({ example: true }) deleted: true;
  @ApiProperty({ example: 42 }) deleted_count: number;
}
