import type { MockEndpointHandler } from './endpoint.context.js';
import { createLink, createSplitLink, deleteLink } from './link.endpoints.js';
import {
  getMyUnusedLinks,
  getMyUsedLinks,
  getPayInTransactions,
  getPayOutTransactions,
  getTaxInvoiceList,
} from './list.endpoints.js';
import { refundPayment } from './refund.endpoint.js';

/** The nine v2 endpoints, by name (`POST /api/v2/<name>`). */
export const MOCK_ENDPOINTS: Readonly<Record<string, MockEndpointHandler>> = {
  createLink,
  createSplitLink,
  deleteLink,
  refundPayment,
  getMyUnusedLinks,
  getMyUsedLinks,
  getPayInTransactions,
  getPayOutTransactions,
  getTaxInvoiceList,
};
