import { GatewayException } from '../../common/errors/gateway.exception';
import { ChatCompletionRequest, ChatMessage, ContentPart } from '../chat.types';
import {
  StraicoChatRequest,
  StraicoContentPart,
  StraicoMessage,
  StraicoPricingMethod,
  StraicoPromptV1Request,
} from './straico.types';
import { functionTools, responseFormatInstruction, toolInstruction } from './straico-tools';

/** What the caller asked Straico for: a model id, or the smart selector at a pricing level. */
export type StraicoTarget = { model: string } | { selector: StraicoPricingMethod };

/**
 * OpenAI chat request → Straico v2 chat request. Only fields Straico accepts are sent;
 * `developer` becomes `system`, tool traffic is rewritten as text, and tools/JSON mode become
 * instructions in a system message placed after the caller's own system messages.
 */
export function toStraicoChatRequest(
  request: ChatCompletionRequest,
  target: StraicoTarget,
): StraicoChatRequest {
  assertSupported(request);
  return {
    ...('model' in target ? { model: target.model } : { smart_llm_selector: target.selector }),
    messages: withInstructions(request),
    ...samplingFields(request),
  };
}

/**
 * For attachments (`file_urls`, `youtube_urls`, `images` extension fields) Straico's v1 prompt
 * endpoint is the only one that takes them; it wants one prompt string, so the conversation is
 * flattened into labelled turns.
 */
export function toStraicoPromptV1Request(
  request: ChatCompletionRequest,
  target: StraicoTarget,
): StraicoPromptV1Request {
  assertSupported(request);
  const messages = withInstructions(request);
  const prompt = messages
    .map(
      ({ role, content }) =>
        `${role}: ${typeof content === 'string' ? content : partsText(content)}`,
    )
    .join('\n\n');
  const single = messages.length === 1 && messages[0].role === 'user';
  return {
    ...('model' in target
      ? { models: [target.model] }
      : { smart_llm_selector: { quantity: 1, pricing_method: target.selector } }),
    message: single ? prompt.replace(/^user: /, '') : prompt,
    ...stringList('file_urls', request.file_urls),
    ...stringList('youtube_urls', request.youtube_urls),
    ...stringList('images', request.images),
    ...(typeof request.display_transcripts === 'boolean'
      ? { display_transcripts: request.display_transcripts }
      : {}),
    ...samplingFields(request),
  };
}

/** The caller's messages in Straico's terms, with the tool and JSON-mode instructions added. */
function withInstructions(request: ChatCompletionRequest): StraicoMessage[] {
  const messages = request.messages.map((message, index) => toStraicoMessage(message, index));
  const instructions = [
    toolInstruction(functionTools(request.tools), request.tool_choice),
    responseFormatInstruction(request.response_format),
  ].filter((text): text is string => text !== null);
  if (instructions.length > 0) {
    const firstNonSystem = messages.findIndex((message) => message.role !== 'system');
    const at = firstNonSystem === -1 ? messages.length : firstNonSystem;
    messages.splice(at, 0, { role: 'system', content: instructions.join('\n\n') });
  }
  return messages;
}

export function hasAttachments(request: ChatCompletionRequest): boolean {
  return ['file_urls', 'youtube_urls', 'images'].some(
    (field) => Array.isArray(request[field]) && (request[field] as unknown[]).length > 0,
  );
}

function samplingFields(request: ChatCompletionRequest) {
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  return {
    ...(typeof request.temperature === 'number' ? { temperature: request.temperature } : {}),
    ...(typeof maxTokens === 'number' ? { max_tokens: maxTokens } : {}),
    ...(typeof request.replace_failed_models === 'boolean'
      ? { replace_failed_models: request.replace_failed_models }
      : {}),
  };
}

function assertSupported(request: ChatCompletionRequest): void {
  if (typeof request.n === 'number' && request.n > 1) {
    throw GatewayException.invalidRequest(
      'Straico models return one choice per request; n must be 1.',
      'n',
      'unsupported_value',
    );
  }
}

function toStraicoMessage(message: ChatMessage, index: number): StraicoMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: toStraicoContent(message.content, index) };
    case 'user':
      return { role: 'user', content: toStraicoContent(message.content, index) };
    case 'assistant':
      return { role: 'assistant', content: assistantText(message, index) };
    case 'tool':
    case 'function':
      return {
        role: 'user',
        content: `Tool result for call ${String(message.tool_call_id ?? message.name ?? 'unknown')}:\n${textOf(message.content, index)}`,
      };
    default:
      throw GatewayException.invalidRequest(
        `Role "${message.role}" is not supported.`,
        `messages[${index}].role`,
        'invalid_value',
      );
  }
}

/** Earlier tool calls are replayed as the JSON the model was asked to write for them. */
function assistantText(message: ChatMessage, index: number): string {
  const text =
    message.content === null || message.content === undefined ? '' : textOf(message.content, index);
  const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as ToolCallLike[]) : [];
  if (calls.length === 0) {
    return text;
  }
  const replay = JSON.stringify({
    tool_calls: calls.map((call) => ({
      name: call.function?.name,
      arguments: parseArguments(call.function?.arguments),
    })),
  });
  return text ? `${text}\n${replay}` : replay;
}

interface ToolCallLike {
  id?: string;
  function?: { name?: string; arguments?: string };
}

function parseArguments(raw: string | undefined): unknown {
  try {
    return JSON.parse(raw ?? '{}');
  } catch {
    return raw;
  }
}

function toStraicoContent(
  content: ChatMessage['content'],
  index: number,
): string | StraicoContentPart[] {
  if (typeof content === 'string') {
    return content;
  }
  if (!Array.isArray(content)) {
    return '';
  }
  return content.map((part, partIndex) => toStraicoPart(part, index, partIndex));
}

function toStraicoPart(part: ContentPart, index: number, partIndex: number): StraicoContentPart {
  if (part.type === 'text') {
    return { type: 'text', text: String(part.text) };
  }
  if (part.type === 'image_url') {
    return {
      type: 'image_url',
      image_url: { url: String((part.image_url as { url: string }).url) },
    };
  }
  throw GatewayException.invalidRequest(
    `Straico models accept text and image_url content parts, not "${part.type}".`,
    `messages[${index}].content[${partIndex}]`,
    'unsupported_content',
  );
}

function textOf(content: ChatMessage['content'], index: number): string {
  if (typeof content === 'string') {
    return content;
  }
  return Array.isArray(content)
    ? partsText(toStraicoContent(content, index) as StraicoContentPart[])
    : '';
}

function partsText(parts: StraicoContentPart[]): string {
  return parts
    .map((part) => (part.type === 'text' ? part.text : `[image: ${part.image_url.url}]`))
    .join('\n');
}

function stringList(field: string, value: unknown): Record<string, string[]> {
  return Array.isArray(value) && value.length > 0 ? { [field]: value.map(String) } : {};
}
