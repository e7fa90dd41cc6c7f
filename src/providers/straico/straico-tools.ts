import { randomUUID } from 'node:crypto';

/**
 * Straico has no native tool calling or JSON mode, so both are emulated by instruction and the
 * reply parsed back (see straico-api.md §10). Best effort: a reply that cannot be read as a tool
 * call is returned as plain content.
 */

export interface ToolDefinition {
  name: string;
  description?: string;
  parameters?: unknown;
}

export interface EmulatedToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** The `function` tools of a request; other tool kinds (custom) are not emulated. */
export function functionTools(tools: unknown): ToolDefinition[] {
  if (!Array.isArray(tools)) {
    return [];
  }
  return tools.flatMap((tool: { type?: unknown; function?: Partial<ToolDefinition> }) =>
    tool?.type === 'function' && typeof tool.function?.name === 'string'
      ? [
          {
            name: tool.function.name,
            description: tool.function.description,
            parameters: tool.function.parameters,
          },
        ]
      : [],
  );
}

export function toolInstruction(tools: ToolDefinition[], toolChoice: unknown): string | null {
  if (tools.length === 0 || toolChoice === 'none') {
    return null;
  }
  const forced =
    typeof toolChoice === 'object' && toolChoice !== null
      ? (toolChoice as { function?: { name?: string } }).function?.name
      : undefined;
  const rule = forced
    ? `You must call the tool "${forced}".`
    : toolChoice === 'required'
      ? 'You must call at least one tool.'
      : 'Call a tool only when it is needed to answer; otherwise answer normally.';
  return [
    'You can call these tools (JSON Schema parameters):',
    JSON.stringify(tools),
    rule,
    'To call tools, reply with ONLY this JSON and nothing else:',
    '{"tool_calls":[{"name":"<tool name>","arguments":{<arguments as a JSON object>}}]}',
  ].join('\n');
}

/** Reads tool calls from a reply written as `toolInstruction` asked; null when it is not one. */
export function parseToolCalls(reply: string, tools: ToolDefinition[]): EmulatedToolCall[] | null {
  const parsed = extractJsonValue(reply);
  const calls = (parsed as { tool_calls?: unknown } | null)?.tool_calls;
  if (!Array.isArray(calls) || calls.length === 0) {
    return null;
  }
  const known = new Set(tools.map((tool) => tool.name));
  const result: EmulatedToolCall[] = [];
  for (const call of calls as Array<Record<string, unknown>>) {
    const fn = (call?.function ?? call) as Record<string, unknown>;
    const name = fn?.name;
    if (typeof name !== 'string' || !known.has(name)) {
      return null;
    }
    const args = fn.arguments ?? {};
    result.push({
      id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      type: 'function',
      function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
    });
  }
  return result;
}

export function responseFormatInstruction(responseFormat: unknown): string | null {
  const format = responseFormat as { type?: string; json_schema?: { schema?: unknown } } | null;
  if (format?.type === 'json_object') {
    return 'Respond with one valid JSON object only: no prose, no code fences.';
  }
  if (format?.type === 'json_schema') {
    return (
      'Respond with one valid JSON value only (no prose, no code fences) that conforms to this ' +
      `JSON Schema:\n${JSON.stringify(format.json_schema?.schema ?? {})}`
    );
  }
  return null;
}

/** The JSON a model wrapped in prose or code fences, re-serialised; null when there is none. */
export function extractJson(reply: string): string | null {
  const value = extractJsonValue(reply);
  return value === null ? null : JSON.stringify(value);
}

function extractJsonValue(reply: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(reply);
  const candidates = [fenced?.[1], reply, outermost(reply, '{', '}'), outermost(reply, '[', ']')];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === null) {
      continue;
    }
    try {
      const value: unknown = JSON.parse(candidate.trim());
      if (typeof value === 'object' && value !== null) {
        return value;
      }
    } catch {
      // try the next candidate
    }
  }
  return null;
}

function outermost(text: string, open: string, close: string): string | null {
  const start = text.indexOf(open);
  const end = text.lastIndexOf(close);
  return start >= 0 && end > start ? text.slice(start, end + 1) : null;
}
