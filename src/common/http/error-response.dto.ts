import { ApiProperty } from '@nestjs/swagger';

class ErrorBodyDto {
  @ApiProperty({ example: "Invalid 'temperature': temperature must not be greater than 2" })
  message: string;
  @ApiProperty({ example: 'invalid_request_error' })
  type: string;
  @ApiProperty({ nullable: true, type: String, example: 'temperature' })
  param: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'invalid_value' })
  code: string | null;
}

export class ErrorResponseDto {
  @ApiProperty({ type: ErrorBodyDto })
  error: ErrorBodyDto;
}
