import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, ValidateIf } from 'class-validator';

import { IsMessageContent } from './message-content.validator';

export const MESSAGE_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

export class ChatMessageDto {
  @ApiProperty({ enum: MESSAGE_ROLES, example: 'user' })
  @IsIn(MESSAGE_ROLES, { message: `role must be one of ${MESSAGE_ROLES.join(', ')}` })
  role: string;

  @ApiPropertyOptional({
    description:
      'A string, or an array of content parts (`text`, `image_url`, `input_audio`, `file`). ' +
      'May be null only for assistant messages that carry `tool_calls`.',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }],
    nullable: true,
    example: 'Hello!',
  })
  @IsMessageContent()
  content?: unknown;

  @ApiPropertyOptional({ description: 'An optional name for the participant.' })
  @IsOptional()
  @IsString()
  name?: string;

  @ApiPropertyOptional({ description: 'Required for `tool` messages: the call this answers.' })
  @ValidateIf(
    (message: ChatMessageDto) => message.role === 'tool' || message.tool_call_id !== undefined,
  )
  @IsString({ message: 'tool_call_id is required for tool messages and must be a string' })
  tool_call_id?: string;

  @ApiPropertyOptional({
    description: 'Tool calls made by the assistant.',
    type: 'array',
    items: { type: 'object' },
  })
  tool_calls?: unknown[];
}
