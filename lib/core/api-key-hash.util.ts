import { createHash } from 'node:crypto';

/**
 * A stable, one-way stand-in for an API key (SHA-256, hex), for map keys and anything else
 * that must tell keys apart without holding one.
 */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}
