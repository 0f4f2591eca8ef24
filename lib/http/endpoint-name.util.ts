/** `https://host/api/v2/createLink?x=1` or `/api/v2/createLink` -> `createLink`. */
export function endpointFromUrl(url: string | undefined): string {
  if (!url) return 'unknown';
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const segment = path.split('/').filter(Boolean).pop();
  return segment ?? 'unknown';
}
