/** What replaces a secret in any text that leaves the package. */
export const REDACTED = '[REDACTED]';

/** Replaces every occurrence of every non-empty secret in `text`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret) result = result.split(secret).join(REDACTED);
  }
  return result;
}
