'use strict';
/**
 * The fake Straico's STRICT request validation (unknown fields, wrong types and roles → 400;
 * unknown model ids → 422), so that a translation mistake in the gateway fails a test. Each
 * validator answers undefined or `{status, error}`.
 */

const PRICING_METHODS = ['quality', 'balance', 'budget'];
const CHAT_ROLES = ['system', 'user', 'assistant'];
const CHAT_FIELDS = [
  'model',
  'smart_llm_selector',
  'messages',
  'temperature',
  'max_tokens',
  'replace_failed_models',
];
const MESSAGE_FIELDS = ['role', 'content'];
const V0_PROMPT_FIELDS = [
  'model',
  'smart_llm_selector',
  'message',
  'temperature',
  'max_tokens',
  'replace_failed_models',
];
const V1_PROMPT_FIELDS = [
  'models',
  'smart_llm_selector',
  'message',
  'file_urls',
  'images',
  'youtube_urls',
  'display_transcripts',
  'temperature',
  'max_tokens',
  'replace_failed_models',
];

/** @param {object[]} models the fake's model list, for the 422 on unknown ids */
function createStraicoValidation(models) {
  function findModel(id, type = 'chat') {
    return models.find((m) => m.id === id && (m.model_type ?? 'chat') === type);
  }

  function validateCommon(body, allowed) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return bad('Body must be a JSON object');
    }
    for (const key of Object.keys(body)) {
      if (!allowed.includes(key)) {
        return bad(`Unsupported field: ${key}`);
      }
    }
    if (body.temperature !== undefined) {
      const t = body.temperature;
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 2) {
        return bad('temperature must be a number between 0 and 2');
      }
    }
    if (body.max_tokens !== undefined) {
      if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
        return bad('max_tokens must be a positive integer');
      }
    }
    if (
      body.replace_failed_models !== undefined &&
      typeof body.replace_failed_models !== 'boolean'
    ) {
      return bad('replace_failed_models must be a boolean');
    }
    return undefined;
  }

  /** Exactly one of `model` (string) / `smart_llm_selector` (string enum): v0 prompt and chat. */
  function validateSingleModel(body) {
    const hasModel = body.model !== undefined;
    const hasSelector = body.smart_llm_selector !== undefined;
    if (hasModel === hasSelector) {
      return bad('Exactly one of model or smart_llm_selector must be provided');
    }
    if (hasSelector) {
      if (
        typeof body.smart_llm_selector !== 'string' ||
        !PRICING_METHODS.includes(body.smart_llm_selector)
      ) {
        return bad(
          'smart_llm_selector must be one of the strings "quality", "balance" or "budget"',
        );
      }
      return undefined;
    }
    if (typeof body.model !== 'string' || body.model === '') {
      return bad('model must be a non-empty string');
    }
    if (!findModel(body.model)) {
      return notFound(body.model);
    }
    return undefined;
  }

  function validateChat(body) {
    const common = validateCommon(body, CHAT_FIELDS);
    if (common) {
      return common;
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return bad('messages must be a non-empty array');
    }
    for (let i = 0; i < body.messages.length; i++) {
      const problem = validateMessage(body.messages[i], i);
      if (problem) {
        return problem;
      }
    }
    return validateSingleModel(body);
  }

  function validateMessage(message, i) {
    const at = `messages[${i}]`;
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      return bad(`${at} must be an object`);
    }
    for (const key of Object.keys(message)) {
      if (!MESSAGE_FIELDS.includes(key)) {
        // tool_calls, tool_call_id, name, function_call, refusal... must not reach Straico.
        return bad(`${at}: unsupported field ${key}`);
      }
    }
    if (!CHAT_ROLES.includes(message.role)) {
      return bad(
        `${at}: unsupported role ${JSON.stringify(message.role)} (expected system, user or assistant)`,
      );
    }
    const content = message.content;
    if (typeof content === 'string') {
      return undefined;
    }
    if (!Array.isArray(content) || content.length === 0) {
      return bad(`${at}.content must be a string or a non-empty array of content parts`);
    }
    for (let j = 0; j < content.length; j++) {
      const part = content[j];
      const partAt = `${at}.content[${j}]`;
      if (part === null || typeof part !== 'object') {
        return bad(`${partAt} must be an object`);
      }
      if (part.type === 'text') {
        if (typeof part.text !== 'string') {
          return bad(`${partAt}.text must be a string`);
        }
      } else if (part.type === 'image_url') {
        if (
          !part.image_url ||
          typeof part.image_url !== 'object' ||
          typeof part.image_url.url !== 'string'
        ) {
          return bad(`${partAt}.image_url.url must be a string`);
        }
      } else {
        return bad(`${partAt}: unsupported content part type ${JSON.stringify(part.type)}`);
      }
    }
    return undefined;
  }

  function validateMessageString(body) {
    if (typeof body.message !== 'string' || body.message.trim() === '') {
      return bad('message must be a non-empty string');
    }
    return undefined;
  }

  function validateV0Prompt(body) {
    return (
      validateCommon(body, V0_PROMPT_FIELDS) ??
      validateMessageString(body) ??
      validateSingleModel(body)
    );
  }

  function validateV1Prompt(body) {
    const common = validateCommon(body, V1_PROMPT_FIELDS) ?? validateMessageString(body);
    if (common) {
      return common;
    }
    for (const key of ['file_urls', 'images', 'youtube_urls']) {
      const value = body[key];
      if (value === undefined) {
        continue;
      }
      if (
        !Array.isArray(value) ||
        value.length > 4 ||
        value.some((v) => typeof v !== 'string' || v === '')
      ) {
        return bad(`${key} must be an array of at most 4 strings`);
      }
    }
    if (body.display_transcripts !== undefined && typeof body.display_transcripts !== 'boolean') {
      return bad('display_transcripts must be a boolean');
    }
    const hasModels = body.models !== undefined;
    const hasSelector = body.smart_llm_selector !== undefined;
    if (hasModels === hasSelector) {
      return bad('Exactly one of models or smart_llm_selector must be provided');
    }
    if (hasSelector) {
      const s = body.smart_llm_selector;
      if (s === null || typeof s !== 'object' || Array.isArray(s)) {
        return bad('smart_llm_selector must be an object {quantity, pricing_method}');
      }
      const extra = Object.keys(s).find((k) => k !== 'quantity' && k !== 'pricing_method');
      if (extra) {
        return bad(`smart_llm_selector: unsupported field ${extra}`);
      }
      if (!Number.isInteger(s.quantity) || s.quantity < 1 || s.quantity > 4) {
        return bad('smart_llm_selector.quantity must be an integer between 1 and 4');
      }
      if (!PRICING_METHODS.includes(s.pricing_method)) {
        return bad(
          'smart_llm_selector.pricing_method must be one of "quality", "balance" or "budget"',
        );
      }
      return undefined;
    }
    const list = body.models;
    if (!Array.isArray(list) || list.length < 1 || list.length > 4) {
      return bad('models must be an array of 1 to 4 model ids');
    }
    if (list.some((m) => typeof m !== 'string' || m === '')) {
      return bad('models must contain non-empty strings');
    }
    if (new Set(list).size !== list.length) {
      return bad('models must be unique');
    }
    const unknown = list.find((m) => !findModel(m));
    return unknown === undefined ? undefined : notFound(unknown);
  }

  return { findModel, validateChat, validateV0Prompt, validateV1Prompt };
}

function bad(error) {
  return { status: 400, error };
}

function notFound(id) {
  return { status: 422, error: `Model not found: ${id}` };
}

module.exports = { createStraicoValidation };
