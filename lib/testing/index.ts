// Entry `nestjs-secpaid/testing`: SecPaidMockServer and its types.
export {};
