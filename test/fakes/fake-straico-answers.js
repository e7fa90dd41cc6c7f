'use strict';
/**
 * The fake Straico's normal answers: the v0/v2 chat completion and the v0/v1 prompt
 * completions, with a deterministic stand-in for the smart selector and the reference's words
 * and price accounting.
 */
const {
  coinsPer100,
  priceOf,
  round2,
  textOf,
  tokensOf,
  wordsOf,
} = require('./fake-straico-pricing');

/**
 * @param {{ models: object[], answer: string, findModel: (id: string) => object | undefined }} fake
 */
function createStraicoAnswers({ models, answer, findModel }) {
  let counter = 0;

  /** Deterministic stand-in for Straico's selector: chat models ordered by price for the method. */
  function selectModels(method, quantity) {
    const chat = models
      .filter((m) => (m.model_type ?? 'chat') === 'chat')
      .sort((a, b) => coinsPer100(a) - coinsPer100(b) || a.id.localeCompare(b.id));
    let ordered;
    if (method === 'budget') {
      ordered = chat;
    } else if (method === 'quality') {
      ordered = [...chat].reverse();
    } else {
      const mid = Math.floor((chat.length - 1) / 2);
      ordered = [...chat.slice(mid), ...chat.slice(0, mid).reverse()];
    }
    return ordered.slice(0, Math.max(1, quantity)).map((m) => m.id);
  }

  function justificationFor(method, ids, scripted) {
    if (scripted.justification !== undefined) {
      return scripted.justification;
    }
    return (
      `The smart LLM selector picked ${ids.join(', ')} for the "${method}" pricing method.\n` +
      'It offers the best fit for this prompt at that price level.'
    );
  }

  /** Core completion for one model; `inputText` is what Straico bills as input words. */
  function oneCompletion(modelId, inputText, lastText, scripted, suffix = '') {
    const content =
      (scripted.content ?? answerFor(lastText)) + (scripted.content === undefined ? suffix : '');
    const reasoning = scripted.reasoning ?? null;
    const native =
      scripted.finishReason ?? (modelId.startsWith('anthropic/') ? 'end_turn' : 'stop');
    const outputText = [content, reasoning ?? ''].join(' ');
    const promptTokens = tokensOf(inputText);
    const completionTokens = tokensOf(content) + tokensOf(reasoning ?? '');
    const completion = {
      id: `gen-${++counter}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: scripted.model ?? modelId,
      provider: 'OpenAI',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null, reasoning },
          finish_reason: native,
          native_finish_reason: native,
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    };
    const words = wordsOf(inputText, outputText);
    return { completion, words, price: priceOf(findModel(modelId), words) };
  }

  function answerFor(lastText) {
    const text = (lastText ?? '').trimStart();
    return text.startsWith('echo:') ? text.slice('echo:'.length).trim() : answer;
  }

  function chatCompletion(body, scripted) {
    const modelId = body.model ?? selectModels(body.smart_llm_selector, 1)[0];
    const inputText = body.messages.map((m) => textOf(m.content)).join('\n');
    const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
    const { completion, price, words } = oneCompletion(
      modelId,
      inputText,
      textOf(lastUser?.content),
      scripted,
    );
    const reply = { ...completion, price, words };
    if (body.smart_llm_selector !== undefined) {
      reply.model_selector_justification = justificationFor(
        body.smart_llm_selector,
        [modelId],
        scripted,
      );
    }
    return reply;
  }

  function v0Prompt(body, scripted) {
    const modelId = body.model ?? selectModels(body.smart_llm_selector, 1)[0];
    const data = oneCompletion(modelId, body.message, body.message, scripted);
    if (body.smart_llm_selector !== undefined) {
      data.model_selector_justification = justificationFor(
        body.smart_llm_selector,
        [modelId],
        scripted,
      );
    }
    return { data, success: true };
  }

  function v1Prompt(body, scripted) {
    const selector = body.smart_llm_selector;
    const ids = body.models ?? selectModels(selector.pricing_method, selector.quantity);
    const files = body.file_urls ?? [];
    const videos = body.youtube_urls ?? [];
    const images = body.images ?? [];
    // Attached files/videos count as input words (their "transcripts").
    const transcripts = [...files, ...videos].map((url) => ({
      name: url,
      text: `Transcript of ${url}`,
    }));
    const inputText = [body.message, ...transcripts.map((t) => t.text)].join('\n');
    let suffix = '';
    if (files.length > 0 || videos.length > 0) {
      suffix += ` [files: ${files.length}, videos: ${videos.length}]`;
    }
    if (images.length > 0) {
      suffix += ` [images: ${images.length}]`;
    }
    const completions = {};
    const zero = () => ({ input: 0, output: 0, total: 0 });
    const overall_price = zero();
    const overall_words = zero();
    for (const id of ids) {
      const error = scripted.modelErrors?.[id];
      const entry = error
        ? { completion: { error }, price: zero(), words: zero() }
        : oneCompletion(id, inputText, body.message, scripted, suffix);
      completions[id] = entry;
      for (const k of ['input', 'output', 'total']) {
        overall_price[k] = round2(overall_price[k] + entry.price[k]);
        overall_words[k] += entry.words[k];
      }
    }
    const data = { overall_price, overall_words, completions };
    if (body.display_transcripts === true) {
      data.transcripts = transcripts;
    }
    if (selector !== undefined) {
      data.model_selector_justification = justificationFor(selector.pricing_method, ids, scripted);
    }
    return { data, success: true };
  }

  return { chatCompletion, v0Prompt, v1Prompt };
}

module.exports = { createStraicoAnswers };
