import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class AssistantMessageDto {
  @ApiProperty({ example: 'assistant' }) role: string;
  @ApiProperty({ nullable: true, type: String, example: 'Hello! How can I help you today?' })
  content: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: null }) refusal?: string | null;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } }) tool_calls?: unknown[];
}

class ChoiceDto {
  @ApiProperty({ example: 0 }) index: number;
  @ApiProperty({ type: AssistantMessageDto }) message: AssistantMessageDto;
  @ApiProperty({ enum: ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'] })
  finish_reason: string;
  @ApiPropertyOptional({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    example: null,
  })
  logprobs?: unknown;
}

class UsageDto {
  @ApiProperty({ example: 19 }) prompt_tokens: number;
  @ApiProperty({ example: 10 }) completion_tokens: number;
  @ApiProperty({ example: 29 }) total_tokens: number;
}

export class ChatCompletionResponseDto {
  @ApiProperty({ example: 'chatcmpl-abc123' }) id: string;
  @ApiProperty({ example: 'chat.completion' }) object: string;
  @ApiProperty({ example: 1741569952 }) created: number;
  @ApiProperty({ example: 'gpt-4o-mini' }) model: string;
  @ApiProperty({ type: [ChoiceDto] }) choices: ChoiceDto[];
  @ApiPropertyOptional({ type: UsageDto }) usage?: UsageDto;
}

export class ModelDto {
  @ApiProperty({ example: 'gpt-4o-mini' }) id: string;
  @ApiProperty({ example: 'model' }) object: string;
  @ApiProperty({ example: 1721172741 }) created: number;
  @ApiProperty({ example: 'openai' }) owned_by: string;
}

export class ModelListDto {
  @ApiProperty({ example: 'list' }) object: string;
  @ApiProperty({ type: [ModelDto] }) data: ModelDto[];
}
