// Entry `nestjs-secpaid/health`: filled in by the readiness-probe work (SecPaidHealthModule,
// SecPaidHealthIndicator). Kept as its own entry so the main one loads without @nestjs/terminus.
export {};
