import { TEST_KEY } from './gateway';
import { readJson } from './json';
import { GatewayUrl, Memory, memoriesPath, memoryApi } from './memory';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface Page {
  object: 'list';
  data: Memory[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Expects an OpenAI-style error; the body is in the failure message when the status differs. */
export async function expectError(
  response: Response,
  status: number,
  expected: Record<string, unknown>,
): Promise<void> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toMatchObject({ status });
  expect(JSON.parse(text).error).toMatchObject(expected);
}

/** One page of a namespace's memories listed with `query`; fails the test on anything but 200. */
export async function memoryPage(
  gateway: GatewayUrl,
  namespace: string,
  query: string,
  key = TEST_KEY,
): Promise<Page> {
  const response = await memoryApi(gateway, 'GET', memoriesPath(namespace, query), undefined, key);
  expect(response.status).toBe(200);
  return (await readJson(response)) as Page;
}
