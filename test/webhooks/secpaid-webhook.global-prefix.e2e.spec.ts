import { describe, expect, it } from '@jest/globals';
import type { SecPaidModuleOptions } from '../../lib/options/secpaid-options.js';
import { FORM_TYPE, formBody } from '../support/webhook.fixtures.js';
import { SecPaidModule, post, startWebhookApp } from '../support/webhook-app.harness.js';

// A cancellation needs no SecPaid call, so nothing listens at baseUrl.
const options: SecPaidModuleOptions = {
  apiKey: 'sk_test_prefix_key',
  environment: 'development',
  baseUrl: 'http://127.0.0.1:9',
  rateLimit: false,
  webhooks: { path: 'hooks/secpaid' },
};
const cancelBody = formBody(78, 10, 'cancel', 'Status');

describe('webhook route under a global prefix (README: "the global prefix applies")', () => {
  it.each([
    ['forRoot', () => SecPaidModule.forRoot(options)],
    ['forRootAsync', () => SecPaidModule.forRootAsync({ useFactory: async () => options })],
  ])('%s: POST /api/v1/<path> receives, the unprefixed path is 404', async (_name, module) => {
    const web = await startWebhookApp(module(), {
      configure: (app) => app.configure((nest) => nest.setGlobalPrefix('api/v1')),
    });
    try {
      const unprefixed = await post(`${web.origin}/hooks/secpaid`, cancelBody, FORM_TYPE);
      expect(unprefixed.status).toBe(404);
      const answer = await post(`${web.origin}/api/v1/hooks/secpaid`, cancelBody, FORM_TYPE);
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({ received: true });
      expect(web.handler.events).toMatchObject([{ type: 'payment.cancelled', payId: 78 }]);
    } finally {
      await web.close();
    }
  });
});
