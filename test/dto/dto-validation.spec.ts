import { describe, expect, it } from '@jest/globals';
import {
  CreateLinkDto,
  CreateSplitLinkDto,
  DeleteLinkDto,
  LinkListQueryDto,
  PayInTransactionQueryDto,
  PayOutTransactionQueryDto,
  RefundPaymentDto,
  TaxInvoiceQueryDto,
} from '../../lib/index.js';
import {
  createLinkWireBody,
  createSplitLinkWireBody,
  listQueryWireBody,
  refundPaymentWireBody,
} from '../../lib/service/secpaid-endpoints.js';
import { collectValidationIssues } from '../../lib/validation/validate-input.util.js';

function issuesOf<T extends object>(Dto: new () => T, input: object): string[] {
  return collectValidationIssues(Object.assign(new Dto(), input)).map(
    (issue) => `${issue.field}: ${issue.message}`,
  );
}

describe('amount rules (createLink, createSplitLink, refundPayment)', () => {
  it.each([49.99, 0.01, 100, 0.29, 1234567.89])('accepts %p', (amount) => {
    expect(issuesOf(CreateLinkDto, { amount })).toEqual([]);
  });

  it.each([
    [0, 'be greater than 0'],
    [-5, 'be greater than 0'],
    [1.001, 'have at most 2 decimals'],
    [Number.NaN, 'be a finite number'],
    [Number.POSITIVE_INFINITY, 'be a finite number'],
    ['10', 'be a finite number'],
    [undefined, 'be a finite number'],
  ])('rejects %p (%s)', (amount, message) => {
    expect(issuesOf(CreateLinkDto, { amount })).toEqual([`amount: must ${message}`]);
    expect(issuesOf(RefundPaymentDto, { payId: 1, refundAmount: amount })).toEqual([
      `refundAmount: must ${message}`,
    ]);
  });
});

describe('callbackUrl / paymentEndpoint', () => {
  it.each(['https://shop.example/cb', '0', '12', '99', '0,https://a.example/x', '1,2'])(
    'accepts %p',
    (value) => {
      expect(
        issuesOf(CreateLinkDto, { amount: 1, callbackUrl: value, paymentEndpoint: value }),
      ).toEqual([]);
    },
  );

  it.each([
    '',
    'not a url',
    '-1',
    'ftp://x.example',
    '0,,1',
    'https//secpaid.com',
    '1, 2',
    '0, 1',
    '100',
    '007',
    '99999999999999999999',
    '0,0',
    'https://shop.example/cb\n',
    ' https://shop.example/cb',
    'https://shop.example/c\tb',
    'https://shop.example/\u202ecb',
  ])('rejects %p', (value) => {
    for (const field of ['callbackUrl', 'paymentEndpoint']) {
      const issues = issuesOf(CreateLinkDto, { amount: 1, [field]: value });
      expect(issues).toEqual([
        `${field}: must be a URL, a zero-based index up to 99, or a comma-separated list of ` +
          'those (no spaces, no repeats)',
      ]);
    }
  });
});

describe('createLink other fields', () => {
  it('checks note length, booleans and the 32-character encryption key', () => {
    expect(
      issuesOf(CreateLinkDto, {
        amount: 1,
        note: 'x'.repeat(256),
        cancellable: 'yes',
        bankTransfer: 1,
        encryptionKey: 'short',
        bankStatementDescription: 'y'.repeat(256),
        isQrLink: 'true',
      }).sort(),
    ).toEqual(
      [
        'note: must be shorter than or equal to 255 characters',
        'cancellable: must be a boolean value',
        'bankTransfer: must be a boolean value',
        'encryptionKey: must be 32 ASCII characters (the 32-byte AES-256 key)',
        'bankStatementDescription: must be shorter than or equal to 255 characters',
        'isQrLink: must be a boolean value',
      ].sort(),
    );
  });
});

describe('split rules in integer cents', () => {
  const split = (input: object): string[] =>
    issuesOf(CreateSplitLinkDto, { amount: 100, ...input });

  it('accepts normal shares summing to at most 100 and absolute shares up to the amount', () => {
    expect(
      split({
        recipients: [
          { token: 'a', share: 60 },
          { token: 'b', share: 40 },
        ],
      }),
    ).toEqual([]);
    expect(
      split({
        splitType: 'absolute',
        recipients: [
          { token: 'a', share: 50 },
          { token: 'b', share: 30 },
          { token: 'c', share: 20 },
        ],
      }),
    ).toEqual([]);
    // 0.1 + 0.2 is 0.30000000000000004 in floating point: cents make it exact.
    expect(
      issuesOf(CreateSplitLinkDto, {
        amount: 0.3,
        splitType: 'absolute',
        recipients: [
          { token: 'a', share: 0.1 },
          { token: 'b', share: 0.2 },
        ],
      }),
    ).toEqual([]);
  });

  it.each([
    [{ recipients: [] }, 'recipients: must be a non-empty array'],
    [{ recipients: undefined }, 'recipients: must be a non-empty array'],
    [
      { recipients: [{ token: ' ', share: 10 }] },
      'recipients: [0].token must be a non-empty string',
    ],
    [{ recipients: [{ share: 10 }] }, 'recipients: [0].token must be a non-empty string'],
    [
      { recipients: [{ token: 'a', share: -1 }] },
      'recipients: [0].share must be a non-negative number with at most 2 decimals',
    ],
    [
      { recipients: [{ token: 'a', share: 101 }] },
      'recipients: [0].share must be between 0 and 100',
    ],
    [
      {
        recipients: [
          { token: 'a', share: 60 },
          { token: 'b', share: 40.01 },
        ],
      },
      'recipients: shares must sum to at most 100 (percent)',
    ],
    [
      {
        splitType: 'absolute',
        recipients: [
          { token: 'a', share: 60 },
          { token: 'b', share: 40.01 },
        ],
      },
      'recipients: shares must sum to at most amount',
    ],
    [
      { splitType: 'absolute', recipients: [{ token: 'a', share: 0 }] },
      'recipients: [0].share must be greater than 0',
    ],
    [
      { splitType: 'weighted', recipients: [{ token: 'a', share: 1 }] },
      'splitType: must be one of the following values: normal, absolute',
    ],
  ])('%j -> %s', (input, message) => {
    expect(split(input)).toContain(message);
  });
});

describe('ids and list queries', () => {
  it('payId / linkId must be positive safe integers', () => {
    const rule = 'must be a positive whole number below 2^53';
    expect(issuesOf(DeleteLinkDto, { linkId: 0 })).toEqual([`linkId: ${rule}`]);
    expect(issuesOf(DeleteLinkDto, { linkId: 1.5 })).toEqual([`linkId: ${rule}`]);
    expect(issuesOf(DeleteLinkDto, { linkId: 2 ** 53 })).toEqual([`linkId: ${rule}`]);
    expect(issuesOf(RefundPaymentDto, { payId: '7', refundAmount: 1 })).toContain(`payId: ${rule}`);
  });

  it('limits stay within the documented maximum of 1000; dates have their formats', () => {
    expect(issuesOf(LinkListQueryDto, { limit: 1001 })).toEqual([
      'limit: must not be greater than 1000',
    ]);
    expect(
      issuesOf(PayInTransactionQueryDto, { limit: 0, page: 0, date: '2026-5-1', since: -1 }),
    ).toEqual([
      'date: must be a YYYY-MM-DD date',
      'since: must not be less than 0',
      'limit: must not be less than 1',
      'page: must not be less than 1',
    ]);
    expect(issuesOf(PayOutTransactionQueryDto, { startDate: '2026-13-01' })).toEqual([
      'startDate: must be a YYYY-MM-DD date',
    ]);
    expect(issuesOf(TaxInvoiceQueryDto, { date: '2026-05-01' })).toEqual([
      'date: must be a YYYY-MM month',
    ]);
    expect(issuesOf(TaxInvoiceQueryDto, { page: 2, limit: 12, date: '2026-04' })).toEqual([]);
  });
});

describe('wire mapping (snake_case, documented value types)', () => {
  it('createLink: strings "true"/"false" for bank_transfer, is_encryption, is_qr_link; boolean cancellable', () => {
    expect(
      createLinkWireBody({
        amount: 49.99,
        note: 'Order 1',
        callbackUrl: '0',
        paymentEndpoint: '0,https://a.example/hook',
        cancellable: false,
        bankTransfer: true,
        encryptWebhooks: false,
        encryptionKey: 'k'.repeat(32),
        bankStatementDescription: 'SHOP',
        isQrLink: false,
      }),
    ).toEqual({
      amount: 49.99,
      recipient_note: 'Order 1',
      callback_url: '0',
      payment_endpoint: '0,https://a.example/hook',
      cancellable: false,
      bank_transfer: 'true',
      is_encryption: 'false',
      encryption_key: 'k'.repeat(32),
      bank_statement_description: 'SHOP',
      is_qr_link: 'false',
    });
    expect(createLinkWireBody({ amount: 1 })).toEqual({ amount: 1 });
  });

  it('createSplitLink, refundPayment and list queries', () => {
    expect(
      createSplitLinkWireBody({
        amount: 150,
        splitType: 'normal',
        recipients: [{ token: 'A', share: 60 }],
        isQrLink: true,
      }),
    ).toEqual({
      amount: 150,
      split_type: 'normal',
      recipients: [{ token: 'A', share: 60 }],
      is_qr_link: true,
    });
    expect(refundPaymentWireBody({ payId: 12345, refundAmount: 49.99, fullRefund: true })).toEqual({
      pay_id: 12345,
      refund_amount: 49.99,
      isFullRefund: true,
    });
    expect(
      listQueryWireBody({
        page: 2,
        limit: 5,
        payId: 7,
        startDate: '2026-05-01',
        endDate: '2026-05-02',
      } as object),
    ).toEqual({ page: 2, limit: 5, pay_id: 7, start_date: '2026-05-01', end_date: '2026-05-02' });
  });
});
