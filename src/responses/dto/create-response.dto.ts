import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';

import { IsModelId, MAX_MODEL_ID_LENGTH } from '../../common/validation/model-id.decorator';

/**
 * The fields the gateway validates up front; input items, tools and formats are checked where
 * they are translated, with `param` naming the item (`input[2].type`). Unknown fields pass.
 */
export class CreateResponseDto {
  @ApiPropertyOptional({
    description:
      'Model id; `provider/model` routes explicitly (e.g. `straico/openai/gpt-4o-mini`); ' +
      'omitted or `auto` lets the gateway choose.',
    example: 'gpt-4o-mini',
    maxLength: MAX_MODEL_ID_LENGTH,
  })
  @IsModelId()
  model?: string;

  @ApiProperty({
    description:
      'A string (one user message) or input items: messages (`input_text`, `input_image` ' +
      'parts), `function_call`, `function_call_output`, `item_reference`.',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }],
    example: 'Tell me a three sentence bedtime story about a unicorn.',
  })
  @IsDefined({ message: 'input is required' })
  input: string | Record<string, unknown>[];

  @ApiPropertyOptional({ description: 'A system message placed first; not inherited by chains.' })
  @IsOptional()
  @IsString()
  instructions?: string;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'Function tools.' })
  @IsOptional()
  @IsArray()
  tools?: unknown[];

  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'object' }] })
  tool_choice?: unknown;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: '`{format: {type: "text" | "json_object" | "json_schema", ...}}`',
  })
  @IsOptional()
  @IsObject()
  text?: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: 16 })
  @IsOptional()
  @IsInt()
  @Min(16)
  max_output_tokens?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 2 })
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

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  user?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  parallel_tool_calls?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Answer as server-sent events.' })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({
    default: true,
    description: 'Keep the response for `previous_response_id` and `GET /v1/responses/{id}`.',
  })
  @IsOptional()
  @IsBoolean()
  store?: boolean;

  @ApiPropertyOptional({ description: 'Continue the conversation of a stored response.' })
  @IsOptional()
  @IsString()
  previous_response_id?: string;
}
