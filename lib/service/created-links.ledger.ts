/**
 * The links this app created, by id, with their amount in cents: the service notes each
 * `createLink`/`createSplitLink` answer, the webhook receiver asks whether a payment's pay id
 * is one of them. A forger can send any id; only this app's own calls add one here, so a
 * payment of an own link ranks above an unknown id and a differing amount is a forgery
 * (internal).
 */
export interface SecPaidCreatedLinks {
  /** Notes a created link. Never throws: a ledger that cannot write only loses the rank. */
  remember(link: { id: number; amount: number }): Promise<void>;
  /** The amount in cents of a link this app created, or undefined when it is not known. */
  centsOf(linkId: number): Promise<number | undefined>;
}
