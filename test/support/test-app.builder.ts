import 'reflect-metadata';
import type {
  DynamicModule,
  ForwardReference,
  INestApplication,
  LoggerService,
  Provider,
  Type,
} from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';

type ModuleImport = Type<unknown> | DynamicModule | Promise<DynamicModule> | ForwardReference;

/** The HTTP platform the app runs on. */
export type TestAppAdapter = 'express' | 'fastify';

/** A Nest application under test, initialised (and listening when built with `listen()`). */
export interface TestApp {
  app: INestApplication;
  /** Origin of the listening app, e.g. `http://127.0.0.1:41234` (empty after `init()`). */
  origin: string;
  get<T>(token: Type<T> | string | symbol): T;
  close(): Promise<void>;
}

/**
 * One fluent way to boot a real Nest app in a spec (after terminus'
 * `e2e/helper/bootstrap-testing-module.ts`):
 *
 * ```ts
 * const web = await bootstrapTestApp(SecPaidModule.forRoot(options))
 *   .withControllers(HealthController)
 *   .withRawBody()
 *   .configure((app) => app.setGlobalPrefix('api'))
 *   .listen();
 * ```
 *
 * Nothing is replaced unless a spec says so with `override()`: the app is built like a user's.
 */
export class TestAppBuilder {
  private readonly controllers: Type<unknown>[] = [];
  private readonly providers: Provider[] = [];
  private readonly overrides: { token: unknown; value: unknown }[] = [];
  private readonly setups: ((app: INestApplication) => void)[] = [];
  private rawBody = false;
  private logger: LoggerService | false = false;
  private adapter: TestAppAdapter = 'express';

  constructor(private readonly imports: ModuleImport[]) {}

  /** More modules beside the ones given to `bootstrapTestApp()`. */
  withImports(...imports: ModuleImport[]): this {
    this.imports.push(...imports);
    return this;
  }

  /** Runs the app on Express (default) or Fastify (`@nestjs/platform-fastify`). */
  withAdapter(adapter: TestAppAdapter): this {
    this.adapter = adapter;
    return this;
  }

  withControllers(...controllers: Type<unknown>[]): this {
    this.controllers.push(...controllers);
    return this;
  }

  withProviders(...providers: Provider[]): this {
    this.providers.push(...providers);
    return this;
  }

  /** Replaces the provider `token` with `value` (test-sized delays, a recording clock). */
  override(token: unknown, value: unknown): this {
    this.overrides.push({ token, value });
    return this;
  }

  /** `NestFactory.create(..., { rawBody: true })`, as the README asks of webhook apps. */
  withRawBody(rawBody = true): this {
    this.rawBody = rawBody;
    return this;
  }

  /** The app's logger (default: none, `logger: false`). */
  withLogger(logger: LoggerService | false): this {
    this.logger = logger;
    return this;
  }

  /** Runs `setup` on the app before it starts (global prefix, pipes, ...). */
  configure(setup: (app: INestApplication) => void): this {
    this.setups.push(setup);
    return this;
  }

  /** The compiled testing module, without an application around it. */
  async compile(): Promise<TestingModule> {
    let builder = Test.createTestingModule({
      imports: this.imports,
      controllers: this.controllers,
      providers: this.providers,
    });
    for (const { token, value } of this.overrides) {
      builder = builder.overrideProvider(token).useValue(value);
    }
    return builder.compile();
  }

  /** The application, created and configured but not started (for specs of start-up failures). */
  async create(): Promise<INestApplication> {
    const moduleRef = await this.compile();
    const options = { rawBody: this.rawBody, logger: this.logger };
    const app =
      this.adapter === 'fastify'
        ? moduleRef.createNestApplication(new FastifyAdapter(), options)
        : moduleRef.createNestApplication(options);
    for (const setup of this.setups) setup(app);
    return app;
  }

  /** Creates and initialises the app without an HTTP listener. */
  async init(): Promise<TestApp> {
    const app = await this.create();
    await app.init();
    return wrap(app, '');
  }

  /** Creates the app and listens on 127.0.0.1:0. */
  async listen(): Promise<TestApp> {
    const app = await this.create();
    await app.listen(0, '127.0.0.1');
    return wrap(app, (await app.getUrl()).replace('[::1]', '127.0.0.1'));
  }
}

/** Starts a {@link TestAppBuilder} over `imports`. */
export function bootstrapTestApp(...imports: ModuleImport[]): TestAppBuilder {
  return new TestAppBuilder(imports);
}

function wrap(app: INestApplication, origin: string): TestApp {
  return {
    app,
    origin,
    get: <T>(token: Type<T> | string | symbol) => app.get<T>(token),
    close: () => app.close(),
  };
}
