/**
 * A response body as the test sees it: whatever the server sent, checked by the assertions that
 * follow rather than by a type. Node's fetch types `json()` as `unknown`, which would make every
 * assertion a cast.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readJson(response: Response): Promise<any> {
  return response.json();
}
