import { describe, expect, it } from '@jest/globals';
import { SecPaidOperationAttributes } from '../../lib/observability/operation.attributes.js';
import { SECPAID_ENDPOINTS } from '../../lib/service/secpaid-endpoints.js';

const target = { environment: 'development', serverAddress: '127.0.0.1', serverPort: 4010 };

describe('SecPaidOperationAttributes (attribute sets shared by the calls of one operation)', () => {
  it('builds the span-start and metric sets once, frozen, without the key or any input', () => {
    const sets = new SecPaidOperationAttributes(SECPAID_ENDPOINTS.createLink, target);
    expect(sets.spanName).toBe('secpaid createLink');
    expect(sets.spanStart).toEqual({
      'secpaid.operation': 'createLink',
      'secpaid.endpoint': 'createLink',
      'secpaid.safety_class': 'write',
      'secpaid.environment': 'development',
      'server.address': '127.0.0.1',
      'server.port': 4010,
    });
    expect(Object.isFrozen(sets.spanStart)).toBe(true);
    expect(Object.isFrozen(sets.metric)).toBe(true);
  });

  it('hands the same frozen object to every call that ended the same way, and another per result', () => {
    const sets = new SecPaidOperationAttributes(SECPAID_ENDPOINTS.getMyUnusedLinks, target);
    const success = sets.result('success', undefined, 200);
    expect(sets.result('success', undefined, 200)).toBe(success);
    expect(Object.isFrozen(success)).toBe(true);
    expect(success).toEqual({
      'secpaid.operation': 'getMyUnusedLinks',
      'secpaid.endpoint': 'getMyUnusedLinks',
      'secpaid.safety_class': 'read',
      'secpaid.outcome': 'success',
      'http.request.method': 'POST',
      'http.response.status_code': 200,
    });
    const refused = sets.result('error', 'SecPaidApiError', 400);
    expect(refused).not.toBe(success);
    expect(refused).toMatchObject({
      'error.type': 'SecPaidApiError',
      'http.response.status_code': 400,
    });
    const unanswered = sets.result('error', 'SecPaidTimeoutError', undefined);
    expect(unanswered).not.toHaveProperty(['http.response.status_code']);
  });

  it('never confuses two results, whatever an error class is called', () => {
    const sets = new SecPaidOperationAttributes(SECPAID_ENDPOINTS.getMyUnusedLinks, target);
    const named = sets.result('error', 'Weird 400', undefined);
    const status = sets.result('error', 'Weird', 400);
    expect(named).toMatchObject({ 'error.type': 'Weird 400' });
    expect(named).not.toHaveProperty(['http.response.status_code']);
    expect(status).toMatchObject({ 'error.type': 'Weird', 'http.response.status_code': 400 });
    // An error whose name is empty is still an error type, not "no error type".
    expect(sets.result('error', '', 502)).toMatchObject({ 'error.type': '' });
    expect(sets.result('error', undefined, 502)).not.toHaveProperty(['error.type']);
    // Prototype-looking names are plain values (the sets live in a Map, not an object).
    const proto = sets.result('error', '__proto__', undefined);
    expect(proto['error.type']).toBe('__proto__');
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  });

  it('keeps at most 64 results per operation; later ones are built per call, still correct', () => {
    const sets = new SecPaidOperationAttributes(SECPAID_ENDPOINTS.getMyUnusedLinks, target);
    for (let i = 0; i < 64; i++) sets.result('error', `Error${i}`, 500);
    const late = sets.result('error', 'Error64', 500);
    expect(late).toMatchObject({ 'error.type': 'Error64', 'http.response.status_code': 500 });
    expect(sets.result('error', 'Error64', 500)).not.toBe(late);
    expect(sets.result('error', 'Error0', 500)).toBe(sets.result('error', 'Error0', 500));
  });
});
