/** The body every error answer carries, as OpenAI's API and SDKs expect it. */
export interface OpenAiErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface OpenAiErrorEnvelope {
  error: OpenAiErrorBody;
}
