import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SecPaidAmbiguousResultError,
  SecPaidConnectionError,
  SecPaidValidationError,
} from '../../lib/index.js';
import { SecPaidMockServer } from '../../lib/testing/index.js';
import {
  callsTo,
  createServiceHarness,
  devOptions,
  rejectionOf,
  type ServiceHarness,
} from '../support/service-app.harness.js';

// Issue 15, "Ambiguous creates, reconciled": the create reaches the mock (the link exists), the
// answer is lost on the way back; with { reconcile: true } the caller still gets that one link.

/** What the proxy does to the next createLink / createSplitLink. */
type CreateLoss = 'none' | 'drop-answer' | 'drop-request';

interface CreateDroppingProxy {
  baseUrl: string;
  /** Applied to the next create only, then back to 'none'. */
  next: CreateLoss;
  close(): Promise<void>;
}

/** Forwards everything to `target`; loses one create's answer (or the request) when told to. */
async function startCreateDroppingProxy(target: string): Promise<CreateDroppingProxy> {
  const proxy: CreateDroppingProxy = { baseUrl: '', next: 'none', close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const isCreate = /\/api\/v2\/create(Split)?Link$/.test(req.url ?? '');
      const loss = isCreate ? proxy.next : 'none';
      if (isCreate) proxy.next = 'none';
      if (loss === 'drop-request') {
        req.socket.resetAndDestroy();
        return;
      }
      const upstream = httpRequest(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            if (loss === 'drop-answer') {
              // The mock has created the link; the client never hears of it.
              req.socket.resetAndDestroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

let mock: SecPaidMockServer;
let proxy: CreateDroppingProxy;
let harness: ServiceHarness;

beforeAll(async () => {
  mock = await SecPaidMockServer.start({ rateLimit: false, recipientTokens: ['partner-a'] });
  proxy = await startCreateDroppingProxy(mock.baseUrl);
  harness = await createServiceHarness(devOptions(mock.accounts[0]!.apiKey, proxy.baseUrl));
});
afterAll(async () => {
  await harness.close();
  await proxy.close();
  await mock.stop();
});
beforeEach(() => mock.reset());

describe('createLink / createSplitLink with { reconcile: true }', () => {
  it('answer lost after the mock created the link: exactly one link exists, the caller gets it', async () => {
    proxy.next = 'drop-answer';
    const link = await harness.service.createLink(
      { amount: 49.99, note: 'Order 1001' },
      { reconcile: true },
    );
    expect(mock.links).toHaveLength(1);
    expect(link).toMatchObject({ id: mock.links[0]!.id, amount: 49.99, note: 'Order 1001' });
    expect(callsTo(mock.requests, 'createLink')).toHaveLength(1);
  });

  it('the same for a split link', async () => {
    proxy.next = 'drop-answer';
    const link = await harness.service.createSplitLink(
      { amount: 100, note: 'Order 1002', recipients: [{ token: 'partner-a', share: 30 }] },
      { reconcile: true },
    );
    expect(mock.links).toHaveLength(1);
    expect(link.id).toBe(mock.links[0]!.id);
  });

  it('request lost before the mock saw it: none exists, so it is sent again, once', async () => {
    proxy.next = 'drop-request';
    const link = await harness.service.createLink(
      { amount: 10, note: 'Order 1003' },
      { reconcile: true },
    );
    expect(mock.links).toHaveLength(1);
    expect(link.id).toBe(mock.links[0]!.id);
  });

  it('two unused links with the note and amount: SecPaidAmbiguousResultError carries both, nothing re-sent', async () => {
    await harness.service.createLink({ amount: 5, note: 'Order 1004' });
    proxy.next = 'drop-answer';
    const error = await rejectionOf(
      harness.service.createLink({ amount: 5, note: 'Order 1004' }, { reconcile: true }),
    );
    expect(error).toBeInstanceOf(SecPaidAmbiguousResultError);
    const ambiguous = error as SecPaidAmbiguousResultError;
    expect(ambiguous.candidates.map((link) => link.id).sort()).toEqual(
      mock.links.map((link) => link.id).sort(),
    );
    expect(ambiguous.sendError).toBeInstanceOf(SecPaidConnectionError);
    expect(mock.links).toHaveLength(2);
  });

  it('without reconcile the lost answer stays a connection error (never re-sent)', async () => {
    proxy.next = 'drop-answer';
    const error = await rejectionOf(harness.service.createLink({ amount: 7, note: 'Order 1005' }));
    expect(error).toMatchObject({ requestMayHaveReachedServer: true });
    expect(mock.links).toHaveLength(1);
  });

  it('reconcile needs a note, and only applies to creates', async () => {
    await expect(
      harness.service.createLink({ amount: 7 }, { reconcile: true }),
    ).rejects.toBeInstanceOf(SecPaidValidationError);
    await expect(harness.service.deleteLink(1, { reconcile: true })).rejects.toBeInstanceOf(
      SecPaidValidationError,
    );
    expect(callsTo(mock.requests, 'createLink')).toHaveLength(0);
  });
});
