// Many SecPaidService calls in flight at once, in a plain Node process (Jest's sandbox does not
// see Node's own warnings): run by secpaid-request.pipeline.attempt-deadline.spec.ts through
// test/support/ts-esm.register.mjs, never by Jest itself. Reports the process warnings.
import 'reflect-metadata';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { createServiceHarness, devOptions } from '../support/service-app.harness.js';

const IN_FLIGHT = 30;
const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(warning.name));

const mock = await SecPaidMockServer.start({ rateLimit: false });
const harness = await createServiceHarness(devOptions(mock.accounts[0]!.apiKey, mock.baseUrl));
mock.injectFault({ endpoint: 'getMyUnusedLinks', delayMs: 300, times: IN_FLIGHT * 2 });
const shared = new AbortController();
const answers = await Promise.all([
  ...Array.from({ length: IN_FLIGHT }, () => harness.service.getMyUnusedLinks()),
  ...Array.from({ length: IN_FLIGHT }, () =>
    harness.service.getMyUnusedLinks({}, { signal: shared.signal }),
  ),
]);
await harness.close();
await mock.stop();
// Node emits warnings on a later tick.
await new Promise((resolve) => setImmediate(resolve));
process.send!({ answered: answers.length, warnings });
process.disconnect();
