/** Plain-fetch helpers for driving SecPaidMockServer in specs (independent of SecPaidService). */
export interface MockCallResult {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

/** POSTs a JSON body to `/api/v2/<endpoint>` with the `token` header. */
export async function callApi(
  baseUrl: string,
  endpoint: string,
  body: unknown = {},
  token?: string,
): Promise<MockCallResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.token = token;
  const response = await fetch(`${baseUrl}/api/v2/${endpoint}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

/** POSTs a form-urlencoded body. */
export async function callApiForm(
  baseUrl: string,
  endpoint: string,
  form: Record<string, string>,
  token: string,
): Promise<MockCallResult> {
  const response = await fetch(`${baseUrl}/api/v2/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', token },
    body: new URLSearchParams(form).toString(),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

/** The `data` of an envelope as a record. */
export function dataOf(result: MockCallResult): Record<string, unknown> {
  return result.json.data as Record<string, unknown>;
}

/** The `data` of a list envelope. */
export function listOf(result: MockCallResult): Record<string, unknown>[] {
  return result.json.data as Record<string, unknown>[];
}
