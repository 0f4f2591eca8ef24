import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Body, Controller, Post, ValidationPipe } from '@nestjs/common';
import {
  CreateLinkDto,
  CreateSplitLinkDto,
  RefundPaymentDto,
  SecPaidModule,
  SecPaidService,
} from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import { bootstrapTestApp, type TestApp } from '../support/test-app.builder.js';

/** How a user's app takes SecPaid input from its own API: the exported DTOs as @Body types. */
@Controller('payments')
class PaymentsController {
  constructor(private readonly secpaid: SecPaidService) {}

  @Post('link')
  async link(@Body() dto: CreateLinkDto): Promise<{ id: number }> {
    const link = await this.secpaid.createLink(dto);
    return { id: link.id };
  }

  @Post('split')
  async split(@Body() dto: CreateSplitLinkDto): Promise<{ id: number }> {
    const link = await this.secpaid.createSplitLink(dto);
    return { id: link.id };
  }

  @Post('refund-check')
  refundCheck(@Body() dto: RefundPaymentDto): { payId: number } {
    return { payId: dto.payId };
  }
}

/** README: the input rules "are exported as class-validator DTOs for `ValidationPipe`". */
describe("the exported DTOs with Nest's global ValidationPipe", () => {
  let mock: SecPaidMockServer;
  let web: TestApp;
  const sent = () => mock.requests.filter((r) => r.path.startsWith('/api/v2/'));
  const postJson = (path: string, body: unknown) =>
    fetch(`${web.origin}/payments/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    mock = await SecPaidMockServer.start({ rateLimit: false, recipientTokens: ['partner-a'] });
    web = await bootstrapTestApp(
      SecPaidModule.forRoot({
        apiKey: mock.accounts[0]!.apiKey,
        environment: 'development',
        baseUrl: mock.baseUrl,
        rateLimit: false,
      }),
    )
      .withControllers(PaymentsController)
      .configure((app) => app.useGlobalPipes(new ValidationPipe({ whitelist: true })))
      .listen();
  });
  afterAll(async () => {
    await web?.close();
    await mock?.stop();
  });
  beforeEach(() => mock.reset());

  it('a valid body passes the pipe and creates the link', async () => {
    const answer = await postJson('link', { amount: 49.99, note: 'Order 7', bankTransfer: true });
    expect(answer.status).toBe(201);
    const { id } = (await answer.json()) as { id: number };
    expect(mock.links.map((l) => l.id)).toEqual([id]);
    expect(sent()[0]!.body).toMatchObject({ amount: 49.99, recipient_note: 'Order 7' });
  });

  it.each([
    ['three decimals', { amount: 49.999 }, 'must have at most 2 decimals'],
    ['a negative amount', { amount: -1 }, 'must be greater than 0'],
    ['a string amount', { amount: '10' }, 'must be a finite number'],
    ['no amount', { note: 'x' }, 'must be a finite number'],
    ['a note over 255 characters', { amount: 1, note: 'n'.repeat(256) }, 'note must be shorter'],
    ['a short encryption key', { amount: 1, encryptionKey: 'short' }, 'encryptionKey must be'],
  ])('%s: 400 from the pipe, nothing sent', async (_name, body, problem) => {
    const answer = await postJson('link', body);
    expect(answer.status).toBe(400);
    const { message } = (await answer.json()) as { message: string[] };
    expect(message).toContainEqual(expect.stringContaining(problem));
    expect(sent()).toHaveLength(0);
  });

  it('split rules are checked by the pipe too (shares over 100 %, a recipient without token)', async () => {
    const over = await postJson('split', {
      amount: 10,
      recipients: [
        { token: 'partner-a', share: 60 },
        { token: 'partner-a', share: 50 },
      ],
    });
    expect(over.status).toBe(400);
    const noToken = await postJson('split', { amount: 10, recipients: [{ share: 10 }] });
    expect(noToken.status).toBe(400);
    expect(sent()).toHaveLength(0);
    const valid = await postJson('split', {
      amount: 10,
      recipients: [{ token: 'partner-a', share: 10 }],
    });
    expect(valid.status).toBe(201);
    expect(sent()).toHaveLength(1);
  });

  it('RefundPaymentDto: payId must be a positive integer', async () => {
    expect((await postJson('refund-check', { payId: 0, refundAmount: 1 })).status).toBe(400);
    expect((await postJson('refund-check', { payId: 1.5, refundAmount: 1 })).status).toBe(400);
    expect((await postJson('refund-check', { payId: 5, refundAmount: 1 })).status).toBe(201);
  });
});
