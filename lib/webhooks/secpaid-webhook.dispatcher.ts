import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import {
  getSecPaidWebhookHandlerFilters,
  type SecPaidWebhookHandlerFilter,
} from './secpaid-webhook-handler.decorator.js';
import { SECPAID_WEBHOOK_UNCONFIRMED, type SecPaidWebhookEvent } from './secpaid-webhook.event.js';

interface DiscoveredHandler {
  /** `ClassName.method`, for logs. */
  name: string;
  filters: readonly SecPaidWebhookHandlerFilter[];
  call: (event: SecPaidWebhookEvent) => unknown;
}

/** Some handlers threw; the webhook is answered 500 so a retrying sender would try again. */
export class SecPaidWebhookHandlerFailure extends Error {
  constructor(readonly failures: { handler: string; error: unknown }[]) {
    super(`${failures.length} SecPaid webhook handler(s) failed`);
    this.name = 'SecPaidWebhookHandlerFailure';
  }
}

/**
 * Finds `@SecPaidWebhookHandler` methods on every provider (once, on first use) and runs the
 * matching ones for an event. Handlers run one after another; a failing handler does not stop
 * the others, and any failure is reported as one `SecPaidWebhookHandlerFailure`.
 */
@Injectable()
export class SecPaidWebhookDispatcher {
  private readonly logger = new Logger('SecPaidWebhooks');
  private handlers?: DiscoveredHandler[];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** Runs every handler that wants `event.type`; resolves once all have finished. */
  async dispatch(event: SecPaidWebhookEvent): Promise<number> {
    const catchAll = event.type !== SECPAID_WEBHOOK_UNCONFIRMED;
    const matching = this.discover().filter(
      (h) => (catchAll && h.filters.includes('*')) || h.filters.includes(event.type),
    );
    const failures: { handler: string; error: unknown }[] = [];
    for (const handler of matching) {
      try {
        await handler.call(Object.freeze({ ...event }));
      } catch (error) {
        failures.push({ handler: handler.name, error });
        this.logger.error(
          `Webhook handler ${handler.name} failed for ${event.type} ${event.payId}`,
          error instanceof Error ? error.stack : String(error),
        );
      }
    }
    if (failures.length > 0) throw new SecPaidWebhookHandlerFailure(failures);
    return matching.length;
  }

  /** The discovered handlers (discovery runs once). */
  discover(): readonly DiscoveredHandler[] {
    this.handlers ??= this.scan();
    return this.handlers;
  }

  private scan(): DiscoveredHandler[] {
    const handlers: DiscoveredHandler[] = [];
    // An alias (`useExisting`) shows the same instance twice; its handlers must run once.
    const visited = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null || visited.has(instance)) continue;
      visited.add(instance);
      const prototype: unknown = Object.getPrototypeOf(instance);
      if (typeof prototype !== 'object' || prototype === null) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn: unknown = (instance as Record<string, unknown>)[method];
        const filters = getSecPaidWebhookHandlerFilters(fn);
        if (filters === undefined || typeof fn !== 'function') continue;
        const name = `${instance.constructor.name}.${method}`;
        if (!wrapper.isDependencyTreeStatic()) {
          // A request-scoped or transient provider has no single instance to call.
          this.logger.warn(`Ignoring webhook handler ${name}: its provider is not a singleton`);
          continue;
        }
        handlers.push({ name, filters, call: (event) => fn.call(instance, event) });
      }
    }
    return handlers;
  }
}
