import { ChatCompletionRequest } from '../providers/chat.types';
import { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';

/** The body as the client sent it (validation adds nothing), typed as the providers read it. */
export function toChatRequest(body: ChatCompletionRequestDto): ChatCompletionRequest {
  return body as unknown as ChatCompletionRequest;
}
