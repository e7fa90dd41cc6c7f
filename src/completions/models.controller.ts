import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';

import { GatewayException } from '../common/errors/gateway.exception';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { ProviderModel } from '../providers/chat.types';
import { ProviderRegistry } from '../providers/provider-registry.service';
import { ModelDto, ModelListDto } from './dto/chat-completion-response.dto';

@ApiTags('models')
@ApiBearerAuth()
@Controller('v1/models')
export class ModelsController {
  constructor(private readonly registry: ProviderRegistry) {}

  @Get()
  @ApiOperation({ summary: 'List the models of every configured provider' })
  @ApiOkResponse({ type: ModelListDto })
  @ApiErrorResponses(401, 429)
  async list(): Promise<{ object: 'list'; data: ProviderModel[] }> {
    return { object: 'list', data: await this.registry.listModels() };
  }

  /** Ids may contain `/`: newer SDKs send it as %2F, older ones raw, so both reach here. */
  @Get('*id')
  @ApiOperation({ summary: 'Retrieve one model' })
  @ApiParam({ name: 'id', example: 'gpt-4o-mini', description: 'May contain `/`, raw or as %2F' })
  @ApiOkResponse({ type: ModelDto })
  @ApiErrorResponses(401, 404, 429)
  async retrieve(@Param('id') id: string | string[]): Promise<ProviderModel> {
    const modelId = Array.isArray(id) ? id.join('/') : id;
    const model = await this.registry.findModel(modelId);
    if (!model) {
      throw GatewayException.modelNotFound(modelId);
    }
    return model;
  }
}
