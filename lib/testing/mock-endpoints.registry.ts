import type { MockEndpointHandler } from './mock-endpoint.context.js';
import { createLink, createSplitLink, deleteLink } from './mock-link.endpoints.js';
import {
  getMyUnusedLinks,
  getMyUsedLinks,
  getPayInTransactions,
  getPayOutTransactions,
  getTaxInvoiceList,
} from './mock-list.endpoints.js';
import { refundPayment } from './mock-refund.endpoint.js';

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
