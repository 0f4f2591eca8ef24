import { WireFormatError, optionalNumber, type WireRecord } from './wire-value.util.js';

/**
 * One page of a paged list.
 * @publicApi
 */
export interface Page<T> {
  items: T[];
  /** The page asked for (SecPaid's default 1 when none was given). */
  page: number;
  /** The page size asked for (the endpoint's documented default when none was given). */
  limit: number;
  /** `totalRecords`, when SecPaid sent it. */
  total?: number;
}

/** Reads `data` as an array; `null`/absent is an empty list. */
export function listOf<T>(data: unknown, parse: (item: unknown) => T): T[] {
  if (data === undefined || data === null) return [];
  if (!Array.isArray(data)) throw new WireFormatError('data', 'an array');
  return data.map(parse);
}

/** Builds a page from the envelope and what was asked. */
export function pageOf<T>(
  envelope: WireRecord,
  parse: (item: unknown) => T,
  page: number,
  limit: number,
): Page<T> {
  const result: Page<T> = { items: listOf(envelope['data'], parse), page, limit };
  const total = optionalNumber(envelope, 'totalRecords');
  if (total !== undefined) result.total = total;
  return result;
}
