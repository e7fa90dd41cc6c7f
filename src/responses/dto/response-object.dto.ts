import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ResponseUsageDto {
  @ApiProperty({ example: 36 }) input_tokens: number;
  @ApiProperty({ example: { cached_tokens: 0 } }) input_tokens_details: Record<string, number>;
  @ApiProperty({ example: 87 }) output_tokens: number;
  @ApiProperty({ example: { reasoning_tokens: 0 } }) output_tokens_details: Record<string, number>;
  @ApiProperty({ example: 123 }) total_tokens: number;
}

/** The `response` object, as OpenAI documents it (the fields clients read). */
export class ResponseObjectDto {
  @ApiProperty({ example: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b' }) id: string;
  @ApiProperty({ enum: ['response'] }) object: 'response';
  @ApiProperty({ example: 1741476542 }) created_at: number;
  @ApiProperty({ enum: ['completed', 'incomplete', 'failed', 'in_progress'] }) status: string;
  @ApiProperty({ example: 'gpt-4o-mini' }) model: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [
      {
        type: 'message',
        id: 'msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Once upon a time…', annotations: [] }],
      },
    ],
  })
  output: Record<string, unknown>[];
  @ApiPropertyOptional({ type: ResponseUsageDto }) usage: ResponseUsageDto | null;
  @ApiPropertyOptional({ nullable: true, example: null }) error: Record<string, string> | null;
  @ApiPropertyOptional({ nullable: true, example: null })
  incomplete_details: { reason: string } | null;
  @ApiPropertyOptional({ nullable: true, example: null }) previous_response_id: string | null;
}
