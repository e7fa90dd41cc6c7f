import { GatewayException } from '../common/errors/gateway.exception';
import { ChatCompletionRequest, ChatMessage, ContentPart } from '../providers/chat.types';
import { ResponseItem, ResponsesRequest } from '../providers/responses.types';
import { CreateResponseDto } from './dto/create-response.dto';

/**
 * Responses → Chat Completions, for upstreams that only speak Chat (Straico, OpenAI-compatible
 * servers without `/responses`). `strict` refuses what Chat cannot express with a 400 naming
 * the parameter; without it (route planning, token estimates, memory) such parts are skipped.
 * `request.input` is the whole conversation: history from `previous_response_id` included and
 * item references already resolved.
 */
export function toChatRequest(request: ResponsesRequest, strict: boolean): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (typeof request.instructions === 'string' && request.instructions !== '') {
    messages.push({ role: 'system', content: request.instructions });
  }
  inputItems(request.input).forEach((item, index) =>
    addItem(messages, item, `input[${index}]`, strict),
  );
  const chat: ChatCompletionRequest = { model: request.model ?? 'auto', messages };
  const tools = chatTools(request.tools, strict);
  if (tools.length > 0) {
    chat.tools = tools;
  }
  const toolChoice = chatToolChoice(request.tool_choice, strict);
  if (toolChoice !== undefined) {
    chat.tool_choice = toolChoice;
  }
  const responseFormat = chatResponseFormat(request.text, strict);
  if (responseFormat !== undefined) {
    chat.response_format = responseFormat;
  }
  if (typeof request.max_output_tokens === 'number') {
    chat.max_completion_tokens = request.max_output_tokens;
  }
  for (const field of ['temperature', 'top_p', 'parallel_tool_calls', 'user'] as const) {
    if (request[field] !== undefined && request[field] !== null) {
      chat[field] = request[field];
    }
  }
  const effort = (request.reasoning as { effort?: unknown } | null | undefined)?.effort;
  if (typeof effort === 'string') {
    chat.reasoning_effort = effort;
  }
  if (request.stream === true) {
    // The terminal Responses event must carry usage, so it is always asked for.
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return chat;
}

/** A string input is one user message; item arrays are taken as they are. */
export function inputItems(input: ResponsesRequest['input']): ResponseItem[] {
  return typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : input;
}

function addItem(messages: ChatMessage[], item: ResponseItem, param: string, strict: boolean) {
  const type = item.type ?? 'message';
  switch (type) {
    case 'message':
      return addMessage(messages, item, param, strict);
    case 'function_call':
      return addFunctionCall(messages, item);
    case 'function_call_output':
      messages.push({
        role: 'tool',
        tool_call_id: String(item.call_id),
        content: outputText(item.output),
      });
      return;
    case 'reasoning':
      // Reasoning belongs to the model that produced it; pasted as text it would only mislead.
      return;
    case 'item_reference':
      if (strict) {
        throw GatewayException.invalidRequest(
          `Item with id '${String(item.id)}' not found.`,
          param,
          'item_not_found',
        );
      }
      return;
    default:
      if (strict) {
        throw refused(
          `${param}.type`,
          `Input items of type '${type}' cannot be served by this model's upstream.`,
        );
      }
  }
}

function addMessage(messages: ChatMessage[], item: ResponseItem, param: string, strict: boolean) {
  const role = item.role === 'developer' ? 'system' : String(item.role);
  if (role === 'assistant') {
    const text = textOf(item.content);
    const last = messages[messages.length - 1];
    // Text and the calls that follow it are one assistant turn in Chat.
    if (last?.role === 'assistant' && last.tool_calls === undefined) {
      last.content = `${asText(last.content)}${text}`;
    } else {
      messages.push({ role: 'assistant', content: text });
    }
    return;
  }
  messages.push({ role, content: userContent(item.content, `${param}.content`, strict) });
}

function addFunctionCall(messages: ChatMessage[], item: ResponseItem) {
  const call = {
    id: String(item.call_id),
    type: 'function',
    function: {
      name: String(item.name),
      arguments:
        typeof item.arguments === 'string' ? item.arguments : JSON.stringify(item.arguments ?? {}),
    },
  };
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') {
    last.tool_calls = [...((last.tool_calls as unknown[] | undefined) ?? []), call];
    if (last.content === '') {
      last.content = null;
    }
    return;
  }
  messages.push({ role: 'assistant', content: null, tool_calls: [call] });
}

/** Text-only content becomes a plain string, which every Chat upstream understands. */
function userContent(content: unknown, param: string, strict: boolean): string | ContentPart[] {
  if (typeof content === 'string') {
    return content;
  }
  const parts = (Array.isArray(content) ? (content as ContentPart[]) : []).flatMap((part, index) =>
    chatPart(part, `${param}[${index}]`, strict),
  );
  return parts.every((part) => part.type === 'text')
    ? parts.map((part) => String(part.text)).join('')
    : parts;
}

function chatPart(part: ContentPart, param: string, strict: boolean): ContentPart[] {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return [{ type: 'text', text: asText(part.text) }];
    case 'input_image':
      if (typeof part.image_url === 'string') {
        const detail = typeof part.detail === 'string' ? { detail: part.detail } : {};
        return [{ type: 'image_url', image_url: { url: part.image_url, ...detail } }];
      }
      break;
    case 'input_file':
      if (typeof part.file_data === 'string' || typeof part.file_id === 'string') {
        const { file_data, file_id, filename } = part;
        return [{ type: 'file', file: { file_data, file_id, filename } }];
      }
      break;
  }
  if (strict) {
    throw refused(param, `Content parts like this ('${part.type}') cannot be sent to this model.`);
  }
  return [];
}

function textOf(content: unknown): string {
  if (typeof content === 'string') {
    return content;
  }
  return (Array.isArray(content) ? (content as ContentPart[]) : [])
    .map((part) => (typeof part.text === 'string' ? part.text : asText(part.refusal)))
    .join('');
}

function outputText(output: unknown): string {
  return typeof output === 'string' ? output : textOf(output);
}

function chatTools(tools: unknown, strict: boolean): unknown[] {
  if (!Array.isArray(tools)) {
    return [];
  }
  return (tools as Array<Record<string, unknown>>).flatMap((tool, index) => {
    if (tool.type !== 'function') {
      if (strict) {
        throw refused(
          `tools[${index}].type`,
          `Tools of type '${String(tool.type)}' cannot be served by this gateway's route; only function tools can.`,
        );
      }
      return [];
    }
    const { name, description, parameters, strict: strictSchema } = tool;
    return [
      {
        type: 'function',
        function: {
          name,
          ...(description !== undefined ? { description } : {}),
          parameters: parameters ?? { type: 'object', properties: {} },
          ...(typeof strictSchema === 'boolean' ? { strict: strictSchema } : {}),
        },
      },
    ];
  });
}

function chatToolChoice(choice: unknown, strict: boolean): unknown {
  if (choice === undefined || choice === null || typeof choice === 'string') {
    return choice ?? undefined;
  }
  const { type, name } = choice as Record<string, unknown>;
  if (type === 'function' && typeof name === 'string') {
    return { type: 'function', function: { name } };
  }
  if (strict) {
    throw refused('tool_choice', `tool_choice of type '${String(type)}' cannot be served here.`);
  }
  return undefined;
}

function chatResponseFormat(text: unknown, strict: boolean): unknown {
  const format = (text as { format?: Record<string, unknown> } | null | undefined)?.format;
  if (!format || format.type === 'text') {
    return undefined;
  }
  if (format.type === 'json_object') {
    return { type: 'json_object' };
  }
  if (format.type === 'json_schema') {
    const { name, schema, strict: strictSchema, description } = format;
    return {
      type: 'json_schema',
      json_schema: {
        name,
        schema,
        ...(description !== undefined ? { description } : {}),
        ...(typeof strictSchema === 'boolean' ? { strict: strictSchema } : {}),
      },
    };
  }
  if (strict) {
    throw refused('text.format.type', `text.format '${String(format.type)}' is not supported.`);
  }
  return undefined;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function refused(param: string, message: string): GatewayException {
  return GatewayException.invalidRequest(message, param, 'unsupported_parameter');
}

/** The body as the client sent it (validation adds nothing), typed as the mappers read it. */
export function toResponsesRequest(body: CreateResponseDto): ResponsesRequest {
  return body as unknown as ResponsesRequest;
}
