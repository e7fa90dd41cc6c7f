import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, Validate } from 'class-validator';

import { NAMESPACE_PATTERN, NAMESPACE_RULE } from '../../common/validation/namespace-rule';
import { IsMemoryCursor } from './is-memory-cursor.validator';

/** Express turns `?q=a&q=b` into an array: a parameter given twice is refused, not guessed. */
const ONCE = (name: string) => `${name} must be given once, as a string`;

export const MEMORY_MODES = ['off', 'read', 'write', 'readwrite'] as const;
export type MemoryMode = (typeof MEMORY_MODES)[number];

export class MemoryCompletionQueryDto {
  @ApiPropertyOptional({
    description: "Where to remember. Default: the key's default namespace (`default`).",
    example: 'user123',
    pattern: NAMESPACE_PATTERN.source,
  })
  @IsOptional()
  @Matches(NAMESPACE_PATTERN, { message: `namespace ${NAMESPACE_RULE}` })
  namespace?: string;

  @ApiPropertyOptional({
    description: 'Read memories into the request, write this exchange, both, or neither.',
    enum: MEMORY_MODES,
    default: 'readwrite',
  })
  @IsOptional()
  @IsIn(MEMORY_MODES, { message: `memory must be one of ${MEMORY_MODES.join(', ')}` })
  memory?: MemoryMode;
}

export class NamespaceParamsDto {
  @ApiProperty({ example: 'user123', pattern: NAMESPACE_PATTERN.source })
  @Matches(NAMESPACE_PATTERN, { message: `namespace ${NAMESPACE_RULE}` })
  namespace: string;
}

export class MemoryParamsDto extends NamespaceParamsDto {
  // Any string: an id that is not a uuid is simply not found.
  @ApiProperty({ format: 'uuid' })
  id: string;
}

export class ListMemoriesQueryDto {
  @ApiPropertyOptional({ description: 'Page size, 1-100 (default 20; 10 with `q`).' })
  @IsOptional()
  @Matches(/^(100|[1-9][0-9]?)$/, { message: 'limit must be an integer from 1 to 100' })
  limit?: string;

  @ApiPropertyOptional({ description: "The previous page's `next_cursor`." })
  @IsOptional()
  @IsString({ message: ONCE('after') })
  @Validate(IsMemoryCursor)
  after?: string;

  @ApiPropertyOptional({
    description:
      'Search instead of listing: the relevance search used for injection, best first, with `score`.',
  })
  @IsOptional()
  @IsString({ message: ONCE('q') })
  q?: string;
}

export class AddMemoriesQueryDto {
  @ApiPropertyOptional({
    description:
      'The items are conversation turns, in order: each is also found by the words of the ' +
      'turns around it (nearer turns weigh more), as turns written by completions are.',
    enum: ['true', 'false'],
    default: 'false',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'conversation must be true or false' })
  conversation?: string;
}
