import { Test, TestingModule } from '@nestjs/testing';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { App } from 'supertest/types.js';
import { SecPaidMockServer } from 'nestjs-secpaid/testing';
import { AppModule } from './../src/app.module.js';

// The CLI's generated e2e spec, plus the four SecPaidMockServer lines: AppModule reads SECPAID_*
// through secpaidConfig and would fail to boot without them.
describe('AppController (e2e)', () => {
  let app: INestApplication<App>;
  let mock: SecPaidMockServer;

  beforeAll(async () => {
    mock = await SecPaidMockServer.start();
    Object.assign(process.env, mock.env());
  });

  beforeEach(async () => {
    const moduleFixture: TestingModule = await Test.createTestingModule({
      imports: [AppModule],
    }).compile();

    app = moduleFixture.createNestApplication();
    await app.init();
  });

  it('/ (GET)', () => {
    return request(app.getHttpServer()).get('/').expect(200).expect('Hello World!');
  });

  afterEach(async () => {
    await app.close();
  });

  afterAll(async () => {
    await mock.stop();
  });
});
