import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { SecPaidMockServer } from 'nestjs-secpaid/testing';

/** Stops the embedded SecPaid mock when the app shuts down (SIGINT/SIGTERM or `app.close()`). */
@Injectable()
export class EmbeddedSecPaidLifecycle implements OnApplicationShutdown {
  constructor(private readonly mock: SecPaidMockServer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.mock.stop();
  }
}
