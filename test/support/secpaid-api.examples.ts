/**
 * Response examples copied verbatim from docs/secpaid-api.md (the docs' own JSON).
 * Three create examples end mid-JSON in the docs; `complete()` adds the inferred ending
 * (docs/secpaid-api.md §3.1 says it is an inference) so the parsed values can be checked too.
 */

export const CREATE_LINK_API = String.raw`{
  "data": {
    "is_cancellation": "No",
    "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
    "amount": 25,
    "recipient_note": "Test regular link",
    "status": "Unused",
    "paymentEndpoint": "https://google.com",
    "callback_url": "https://google.com",
    "servicefee": "1.0",
    "recipients": null,
    "is_split_link": "false",
    "split_type": "normal",
    "bank_transfer": "true",
    "is_qr_link": "false",
    "payment_config": "",
    "bank_statement_description": "",
    "created_at": "2026-05-20 11:19:48",
    "id": 99290,
    "pay_link": "https://app.secpaid.com/payment?link_id=OTkyOTA=",
    "qr_img": "https://quickchart.io/chart?chl=https://app.secpaid.com/payment?link_id=OTkyOTA=&chs=300x300&cht`;

export const CREATE_LINK_PATHS_NEW = String.raw`{
    "data": {
        "linktopay_id": 124,
        "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
        "amount": "100.00",
        "recipient_note": "Payment for Invoice #1234",
        "status": "Unused",
        "paymentEndpoint": "https://yourapp.com/webhook",
        "callback_url": "https://yourapp.com/callback",
        "servicefee": "1.5",
        "is_split_link": "false",
        "is_qr_link": "false",
        "bank_transfer": "false",
        "transaction_type": "Basic",
        "created_at": "2024-10-26 16:18:01",
        "pay_link": "https://app.secpaid.com/payment?link_id=MTI0",
        "qr_img": "https://quickchart.io/chart?chl=https://app.secpaid.com/payment?link_id=MTI0&chs=300x300&cht=qr"
    },
    "ResponseCode": 1,
    "ResponseMsg": "Link has been created successfully",
    "Result": "True",
    "ServerTime": "CEST"
}`;

export const CREATE_LINK_PATHS_OLD = String.raw`{ "data": { "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe", "amount": "100.00", "recipient_note": "Payment for Invoice #1234", "status": "Unused", "paymentEndpoint": "https://app.dev.secpaid.com/payment", "callback_url": "https//secpaid.com", "service_fee": "1.5", "recipient": null, "created_at": "2024-10-26 16:18:01", "id": 124, "pay_link": "https://app.dev.secpaid.com/payment?link_id=MTI0", "qr_img": "https://quickchart.io/chart?chl=https://app.dev.secpaid.c`;

export const CREATE_LINK_ERRORS_PAGE = String.raw`{
  "ResponseCode": 1,
  "ResponseMsg": "Link created successfully",
  "Result": "True",
  "ServerTime": "CEST",
  "data": {
    "linktopay_id": 12345,
    "pay_link": "https://app.secpaid.com/payment?link_id=MTIzNDU=",
    "amount": "49.99"
  }
}`;

export const CREATE_SPLIT_LINK_API = String.raw`{
  "data": {
    "is_cancellation": "No",
    "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
    "amount": 35.39,
    "recipient_note": "Test-Ala",
    "status": "Unused",
    "paymentEndpoint": "https://google.com",
    "callback_url": "https://google.com",
    "servicefee": "1.0",
    "recipients": "[{\"token\":\"testuser-a\",\"share\":10}]",
    "is_split_link": "true",
    "split_type": "normal",
    "bank_transfer": "true",
    "is_qr_link": "false",`;

export const DELETE_LINK_SUCCESS = String.raw`{
  "ResponseCode": 1,
  "ResponseMsg": "Link has been deleted successfully",
  "Result": "True",
  "ServerTime": "CEST"
}`;

export const DELETE_LINK_INVALID_ID = String.raw`{
  "ResponseCode": 0,
  "ResponseMsg": "Invalid link ID",
  "Result": "False",
  "ServerTime": "CEST"
}`;

export const REFUND_SUCCESS_API = String.raw`{
  "ResponseCode": 1,
  "ResponseMsg": "Refund request has been sent successfully, You will get update within 5-10 days",
  "Result": "True",
  "ServerTime": "CEST"
}`;

export const REFUND_SUCCESS_HOWTO = String.raw`{
    "ResponseCode": 1,
    "ResponseMsg": "Refund request submitted successfully",
    "Result": "True",
    "ServerTime": "CEST"
}`;

export const REFUND_MISSING_AMOUNT = String.raw`{
  "ResponseCode": 0,
  "ResponseMsg": "Please enter refund_amount",
  "Result": "False",
  "ServerTime": "CEST"
}`;

export const PAY_IN_API = String.raw`{
  "data": [
    {
      "pay_id": "99296",
      "creator_id": "8654bacd-3d54-4010-069f-3fd9f4436b2",
      "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
      "amount": "88.19",
      "net_amount": "84.71",
      "service_fee": "1.33",
      "service_fee_psp": "3.15",
      "status": "Success",
      "recipient_note": "Order TEST2026013557",
      "payout_status": "Pending",
      "created_at": "2026-05-20 18:56:08",
      "is_split_link": "false",
      "is_dispute": "false",
      "is_refund": "false",
      "payment_method": null,
      "transaction_type": "Basic"
    },
    {
      "pay_id": "99298",
      "creator_id": "8654bacd-3d54-4010-069f-3fd9f4436b2",
      "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
      "amount": "55.25",
      "net_amount": "53.13",
      "service_fee": "0.83",
      "service_fee_psp": "1.29",
      "status": "Success",
      "recipient_note": "Payment for Order #CNF-177930606093050",
      "payout_status": "Pending",
      "created_at": "2026-05-20 10:19:34",
      "is_split_link": "true",
      "is_dispute": "false",
      "is_refund": "false",
      "payment_method": null,
      "transaction_type": "Split"
    }
  ],
  "ResponseCode": 1,
  "ResponseMsg": "List retrived successfully",
  "Result": "True",
  "ServerTime": "CEST"
}`;

export const PAY_IN_HOWTO_NEW = String.raw`{
    "data": [
        {
            "pay_id": "42011",
            "user_id": "a95a452a-2c74-465c-b63b-81d73a7a755d",
            "transaction_id": "20241026-pi-QRxbbs7z9n",
            "amount": "1.00",
            "net_amount": "0.83",
            "service_fee": "-0.10",
            "service_fee_psp": "0.27",
            "status": "Success",
            "recipient_note": "Invoice #1234",
            "payout_status": "Pending",
            "created_at": "2024-10-26 16:18:20",
            "is_split_link": "false",
            "is_dispute": "false",
            "is_refund": "false",
            "payment_method": "card",
            "transaction_type": "Basic"
        }
    ],
    "ResponseCode": 1,
    "ResponseMsg": "List retrieved successfully",
    "Result": "True",
    "ServerTime": "CEST"
}`;

export const PAY_IN_HOWTO_OLD = String.raw`{ "data": [ { "pay_id": "42011", "user_id": "a95a452a-2c74-465c-b63b-81d73a7a755d", "transaction_id": "20241026-pi-QRxbbs7z9n", "amount": "1.00", "net_amount": "0.83", "service_fee": "-0.10", "service_fee_psp": "0.27", "status": "Success", "recipient_note": "api token test", "payout_status": "Pending", "created_at": "2024-10-26 16:18:20", "is_split_link": "false", "transaction_type": "Basic" } ], "totalRecords": 7, "expected_payout": "4.02", "ResponseCode": 1, "ResponseMsg": "List retrieved successfully", "Result": "True", "ServerTime": "CEST" }`;

export const PAY_OUT_API = String.raw`{
  "data": [
    {
      "payout_id": "21503",
      "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
      "transaction_id": "20260512-po-tYlGbn74wT",
      "payout_amount": "74.06",
      "service_fee": 0.73,
      "net_amount": 71.53,
      "payout_status": "InProgress",
      "request_date": "2026-05-12",
      "created_at": "2026-05-20 02:01:14",
      "is_split_link": "true",
      "is_dispute": "false",
      "is_refund": "false",
      "transaction_type": "Split"
    }
  ],
  "ResponseCode": 1,
  "ResponseMsg": "List retrived successfully",
  "Result": "True",
  "ServerTime": "CEST"
}`;

export const UNUSED_LINKS_API = String.raw`{
  "data": [
    {
      "linktopay_id": "99290",
      "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
      "recipient_note": "Test regular link",
      "amount": "25.00",
      "is_cancelled": "No",
      "recipients": null,
      "is_split_link": "false",
      "pay_link": "https://app.secpaid.com/payment?link_id=OTkyOTA=",
      "qr_img": "https://quickchart.io/chart?chl=https://app.secpaid.com/payment?link_id=OTkyOTA=&chs=300x300&cht=qr",
      "transaction_type": "Basic"
    },
    {
      "linktopay_id": "99289",
      "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
      "recipient_note": "Test-Ala",
      "amount": "35.39",
      "is_cancelled": "No",
      "recipients": "[{\"token\":\"testuser-a\",\"share\":10}]",
      "is_split_link": "true",
      "pay_link": "https://app.secpaid.com/payment?link_id=OTkyODk=",
      "qr_img": "https://quickchart.io/chart?chl=https://app.secpaid.com/payment?link_id=OTkyODk=&chs=300x300&cht=qr",
      "transaction_type": "Split"
    }
  ],
  "ResponseCode": 1,
  "ResponseMsg": "List retrived successfully",
  "Result": "True",
  "ServerTime": "CEST"
}`;

export const USED_LINKS_API = String.raw`{
  "data": [
    {
      "linktopay_id": "99250",
      "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
      "recipient_note": "Payment for Order #ORD_20260512_ADzwvsnkfb",
      "amount": "72.96",
      "is_cancelled": "No",
      "recipients": "[{\"share\":2,\"token\":\"asdf\"}]",
      "is_split_link": "true",
      "paid_on": "2026-05-12 20:10:17",
      "transaction_type": "Split"
    },
    {
      "linktopay_id": "99248",
      "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
      "recipient_note": "Test-Ala",
      "amount": "5.00",
      "is_cancelled": "No",
      "recipients": "[{\"token\":\"testuser-a\",\"share\":4.9}]",
      "is_split_link": "true",
      "paid_on": "2026-05-12 06:54:17",
      "transaction_type": "Split"
    }
  ],
  "ResponseCode": 1,
  "ResponseMsg": "List retrived successfully",
  "Result": "True",
  "ServerTime": "CEST"
}`;

export const TAX_INVOICE_API = String.raw`{
  "data": [
    {
      "sf_id": "178",
      "user_id": "b44c4429-4a7b-4e27-85af-c1c2f43f4ffe",
      "company": "Acme GmbH",
      "name": "Max Mustermann",
      "street": "Musterstraße",
      "house_no": "1",
      "city": "Berlin",
      "country": "Germany",
      "zipcode": "10115",
      "invoice_id": "202604-sf-oS5TYzrGXF",
      "invoice_date": "2026-05-01",
      "service_month": "April 2026",
      "total_secpaid_fee": 10.38,
      "total_psp_fee": 245.15,
      "vat": 0,
      "created_at": "2026-05-01 03:01:05"
    }
  ],
  "totalRecords": 18,
  "ResponseCode": 1,
  "ResponseMsg": "List retrived successfully",
  "Result": "True",
  "ServerTime": "CEST"
}`;

export const GENERIC_ERROR = String.raw`{
  "ResponseCode": 0,
  "ResponseMsg": "Amount is required",
  "Result": "False",
  "ServerTime": "CEST"
}`;

export const AUTH_ERROR = String.raw`{
  "ResponseCode": 0,
  "ResponseMsg": "Incorrect token or missing token",
  "Result": "False",
  "ServerTime": "CEST"
}`;

/** Closes a docs example that stops inside the `qr_img` value or after a field. */
export function complete(truncated: string, tail: string): string {
  return (
    truncated +
    tail +
    '\n  },\n  "ResponseCode": 1,\n  "ResponseMsg": "Link created successfully",\n  "Result": "True",\n  "ServerTime": "CEST"\n}'
  );
}
