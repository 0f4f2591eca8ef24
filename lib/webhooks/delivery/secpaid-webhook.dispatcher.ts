import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { SECPAID_DEFAULT_INSTANCE } from '../../instances/secpaid-instance.tokens.js';
import { SECPAID_INSTANCE_NAME } from '../../secpaid.constants.js';
import {
  getSecPaidWebhookHandlerFilters,
  handlesInstance,
  matchesSecPaidWebhookHandler,
  type SecPaidWebhookHandlerFilter,
} from './secpaid-webhook-handler.decorator.js';
import type { SecPaidWebhookEvent } from '../../models/secpaid-webhook-event.model.js';

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
 * ones matching an event of this registration's instance (each registration has its own
 * dispatcher, and stamps its instance name on the event). Handlers run one after another; a failing handler does not stop
 * the others, and any failure is reported as one `SecPaidWebhookHandlerFailure`.
 */
@Injectable()
export class SecPaidWebhookDispatcher {
  private readonly logger = new Logger('SecPaidWebhooks');
  private handlers?: DiscoveredHandler[];
  private readonly scanner = new MetadataScanner();

  constructor(
    // What DiscoveryService.getProviders() reads, without importing DiscoveryModule.
    private readonly modules: ModulesContainer,
    @Optional()
    @Inject(SECPAID_INSTANCE_NAME)
    private readonly instance: string = SECPAID_DEFAULT_INSTANCE,
  ) {}

  /**
   * Runs every handler that wants `event.type` from this instance; resolves once all have
   * finished. Handlers get the event with `instance` set.
   */
  async dispatch(event: SecPaidWebhookEvent): Promise<number> {
    const { instance } = this;
    const matching = this.discover().filter((h) =>
      matchesSecPaidWebhookHandler(h.filters, event.type, instance),
    );
    const failures: { handler: string; error: unknown }[] = [];
    for (const handler of matching) {
      try {
        await handler.call(Object.freeze({ ...event, instance }));
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

  /** The discovered handlers that may receive this instance's events (discovery runs once). */
  discover(): readonly DiscoveredHandler[] {
    this.handlers ??= this.scan();
    return this.handlers;
  }

  private scan(): DiscoveredHandler[] {
    const handlers: DiscoveredHandler[] = [];
    // An alias (`useExisting`) shows the same instance twice; its handlers must run once.
    const visited = new Set<object>();
    for (const wrapper of [...this.modules.values()].flatMap((m) => [...m.providers.values()])) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null || visited.has(instance)) continue;
      visited.add(instance);
      const prototype: unknown = Object.getPrototypeOf(instance);
      if (typeof prototype !== 'object' || prototype === null) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn: unknown = (instance as Record<string, unknown>)[method];
        const filters = getSecPaidWebhookHandlerFilters(fn);
        if (filters === undefined || typeof fn !== 'function') continue;
        // Handlers of other instances only: not this registration's to run (nor to count).
        const name = `${instance.constructor.name}.${method}`;
        if (!filters.some((f) => handlesInstance(f, this.instance))) {
          this.warnUntargeted(name, filters);
          continue;
        }
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

  /**
   * Before 0.2 a handler naming no instance received every instance's events; now only the
   * default's. Said once per named instance and handler, at start-up (the first discovery).
   */
  private warnUntargeted(name: string, filters: readonly SecPaidWebhookHandlerFilter[]): void {
    if (!filters.some((f) => f.instance === undefined)) return;
    this.logger.warn(
      `Webhook handler ${name} names no instance, so it receives the default instance's events ` +
        `only, not those of '${this.instance}': add { instance: '${this.instance}' } or ` +
        `{ instance: '*' } to receive them`,
    );
  }
}
