/**
 * Resolves once `condition()` holds, checking every few milliseconds. It has no deadline of its
 * own: the test's timeout bounds it, so a slow machine only makes it slower, never wrong.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}
