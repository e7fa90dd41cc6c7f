import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import { IsModelId, MAX_MODEL_ID_LENGTH } from '../../common/validation/model-id.decorator';
import { ChatMessageDto } from './chat-message.dto';
import { IsStopSequence } from './stop-sequence.validator';

/** OpenAI's own limits. */
export const MAX_MESSAGES = 2048;
export const MAX_TOOLS = 128;

export class StreamOptionsDto {
  @ApiPropertyOptional({ description: 'Send a final chunk with token usage before `[DONE]`.' })
  @IsOptional()
  @IsBoolean()
  include_usage?: boolean;
}

/**
 * The fields the gateway validates. The body itself is forwarded as the client sent it, so
 * every other OpenAI field (tools, response_format, seed, metadata, newer ones) reaches an
 * OpenAI-compatible upstream unchanged.
 */
export class ChatCompletionRequestDto {
  @ApiPropertyOptional({
    description:
      'Model id. `provider/model` routes to a provider explicitly (e.g. `openai/gpt-4o-mini`); ' +
      'omitted or `auto` uses the gateway default.',
    example: 'gpt-4o-mini',
    maxLength: MAX_MODEL_ID_LENGTH,
  })
  @IsModelId()
  model?: string;

  @ApiProperty({
    type: [ChatMessageDto],
    description: 'The conversation so far (at least one).',
    maxItems: MAX_MESSAGES,
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'messages must contain at least one message' })
  @ArrayMaxSize(MAX_MESSAGES)
  @ValidateNested({ each: true })
  @Type(() => ChatMessageDto)
  messages: ChatMessageDto[];

  @ApiPropertyOptional({ minimum: 0, maximum: 2, example: 1 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  top_p?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 128, description: 'Choices to generate.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(128)
  n?: number;

  @ApiPropertyOptional({ minimum: 1, deprecated: true, description: 'Use max_completion_tokens.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_tokens?: number;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  max_completion_tokens?: number;

  @ApiPropertyOptional({
    description: 'Up to 4 sequences where the model stops.',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 4 }],
  })
  @IsOptional()
  @IsStopSequence()
  stop?: string | string[];

  @ApiPropertyOptional({ minimum: -2, maximum: 2 })
  @IsOptional()
  @IsNumber()
  @Min(-2)
  @Max(2)
  presence_penalty?: number;

  @ApiPropertyOptional({ minimum: -2, maximum: 2 })
  @IsOptional()
  @IsNumber()
  @Min(-2)
  @Max(2)
  frequency_penalty?: number;

  @ApiPropertyOptional({ description: 'Answer as server-sent events.', default: false })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({ type: StreamOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StreamOptionsDto)
  stream_options?: StreamOptionsDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  logprobs?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 20 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  top_logprobs?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  seed?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  user?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object' },
    maxItems: MAX_TOOLS,
    description: 'Passed through.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TOOLS)
  tools?: unknown[];

  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'object' }],
    description: 'Passed through.',
  })
  tool_choice?: unknown;

  @ApiPropertyOptional({
    type: 'object',
    description: 'Passed through.',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  response_format?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    description: 'Passed through.',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string>;
}
