import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AlwaysOffSampler } from '@opentelemetry/sdk-trace-base';
import { SECPAID_METRICS, SecPaidApiError } from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { InMemoryOpenTelemetry } from '../support/in-memory-otel.sdk.js';
import {
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

describe('OpenTelemetry with every span sampled out (the app traces a fraction of its calls)', () => {
  let sdk: InMemoryOpenTelemetry;
  let mock: SecPaidMockServer;
  let harness: ServiceHarness;

  beforeAll(async () => {
    sdk = InMemoryOpenTelemetry.install({ sampler: new AlwaysOffSampler() });
    mock = await SecPaidMockServer.start({ rateLimit: false });
    harness = await createServiceHarness(devOptions(mock.accounts[0]!.apiKey, mock.baseUrl));
  });

  afterAll(async () => {
    await harness.close();
    await mock.stop();
    await sdk.uninstall();
  });

  it('records no span, and still counts every call in the duration histogram by its result', async () => {
    await harness.service.createLink({ amount: 10, note: 'Order 1' });
    mock.injectFault({
      endpoint: 'createLink',
      status: 400,
      body: { ResponseCode: 0, Result: 'False', ResponseMsg: 'Amount is invalid' },
    });
    expect(
      await rejectionOf(harness.service.createLink({ amount: 11, note: 'Order 2' })),
    ).toBeInstanceOf(SecPaidApiError);
    await harness.service.createLink({ amount: 12, note: 'Order 3' });

    expect(sdk.spans.getFinishedSpans()).toEqual([]);
    // Each result has its own attribute set (they are built once per operation and result,
    // then shared by later calls): two successes, one refusal, nothing mixed up.
    const points = await sdk.pointsOf(SECPAID_METRICS.operationDuration, {
      'secpaid.operation': 'createLink',
    });
    expect(
      points
        .map(({ attributes, value }) => ({ attributes, value }))
        .sort((a, b) => b.value - a.value),
    ).toEqual([
      {
        value: 2,
        attributes: {
          'secpaid.operation': 'createLink',
          'secpaid.endpoint': 'createLink',
          'secpaid.safety_class': 'write',
          'secpaid.outcome': 'success',
          'http.request.method': 'POST',
          'http.response.status_code': 200,
        },
      },
      {
        value: 1,
        attributes: {
          'secpaid.operation': 'createLink',
          'secpaid.endpoint': 'createLink',
          'secpaid.safety_class': 'write',
          'secpaid.outcome': 'error',
          'http.request.method': 'POST',
          'http.response.status_code': 400,
          'error.type': 'SecPaidApiError',
        },
      },
    ]);
  });
});
