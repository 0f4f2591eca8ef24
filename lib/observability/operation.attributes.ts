import type { Attributes } from '@opentelemetry/api';
import type { SecPaidObservedCall } from '../http/secpaid-request.context.js';
import { SECPAID_ATTRIBUTES as A, SECPAID_SPANS } from './telemetry.names.js';

/** Where an operation's calls go (the parts of the module options telemetry reports). */
export interface SecPaidOperationTarget {
  environment: string;
  serverAddress: string;
  serverPort: number;
}

/** Distinct results kept per operation; beyond it a result's set is built per call, never kept. */
const MAX_RESULT_SETS = 64;

/**
 * The attribute sets of one operation against one target. They depend only on the operation and
 * on how its call ended, so they are built once and shared by every call: a traced call then
 * allocates no attribute object of its own. Sharing is safe because the SDK copies span
 * attributes, and keeps metric attribute sets as given without changing them (frozen here to
 * be sure).
 */
export class SecPaidOperationAttributes {
  /** `secpaid <operation>`. */
  readonly spanName: string;
  /** The span's attributes known when it starts. */
  readonly spanStart: Attributes;
  /** Operation, endpoint, safety class: every metric of the call carries them. */
  readonly metric: Attributes;
  private readonly results = new Map<string, Attributes>();

  constructor(call: SecPaidObservedCall, target: SecPaidOperationTarget) {
    this.spanName = SECPAID_SPANS.operationPrefix + call.method;
    this.metric = Object.freeze({
      [A.operation]: call.method,
      [A.endpoint]: call.endpoint,
      [A.safetyClass]: call.safety,
    });
    this.spanStart = Object.freeze({
      ...this.metric,
      [A.environment]: target.environment,
      [A.serverAddress]: target.serverAddress,
      [A.serverPort]: target.serverPort,
    });
  }

  /** The duration histogram's attributes for a call that ended so (`http.client.request.duration` style). */
  result(
    outcome: string,
    errorType: string | undefined,
    httpStatus: number | undefined,
  ): Attributes {
    // Status (digits or empty) and outcome (one word) first, then the error class name (which
    // may hold anything, even nothing) behind a mark: no two results share a key.
    const key = `${httpStatus ?? ''} ${outcome} ${errorType === undefined ? '' : `:${errorType}`}`;
    const known = this.results.get(key);
    if (known !== undefined) return known;
    const attributes: Attributes = { ...this.metric, [A.outcome]: outcome, [A.httpMethod]: 'POST' };
    if (errorType !== undefined) attributes[A.errorType] = errorType;
    if (httpStatus !== undefined) attributes[A.httpStatusCode] = httpStatus;
    Object.freeze(attributes);
    if (this.results.size < MAX_RESULT_SETS) this.results.set(key, attributes);
    return attributes;
  }
}

/**
 * The attribute sets of every operation of one module registration, keyed by the endpoint-table
 * entry the service passes (one stable object per operation).
 */
export class SecPaidOperationAttributeCache {
  private readonly operations = new WeakMap<SecPaidObservedCall, SecPaidOperationAttributes>();

  constructor(private readonly target: SecPaidOperationTarget) {}

  of(call: SecPaidObservedCall): SecPaidOperationAttributes {
    let attributes = this.operations.get(call);
    if (attributes === undefined) {
      attributes = new SecPaidOperationAttributes(call, this.target);
      this.operations.set(call, attributes);
    }
    return attributes;
  }
}
