/**
 * Settles `promise`, or fails when it is still pending after `budgetMs`: for calls that used to
 * hang without bound. The budget is generous (many times the expected time), so a loaded
 * machine cannot fail it wrongly.
 */
export async function settledWithin<T>(promise: Promise<T>, budgetMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${budgetMs} ms`)), budgetMs);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}
