import type { ExamplesObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** Bodies for "Try it out" on adding memories: the first is the one Swagger UI sends by default. */
export const ADD_MEMORY_EXAMPLES: ExamplesObject = {
  one: {
    summary: 'One memory',
    value: { content: 'My dog is called Rex.', role: 'user', metadata: { source: 'onboarding' } },
  },
  batch: {
    summary: 'A batch (up to 1000)',
    value: [
      { content: 'I live in Lyon.', role: 'user', created_at: '2026-11-20T14:03:00Z' },
      { content: 'Noted: you live in Lyon.', role: 'assistant' },
    ],
  },
};

/** The answer to the first example on a namespace that did not hold it yet. */
export const ADD_MEMORY_RESULT_EXAMPLE = {
  object: 'list',
  data: [{ id: '5f0e6a52-3c1d-4b7e-9a2f-8d4c6b1e0a93', duplicate: false }],
  inserted: 1,
  skipped: 0,
};
