/**
 * Child-process entry that runs one SecPaidMockServer, so the client under test and the mock do
 * not share an event loop. Options come as JSON in argv[2]; commands arrive over IPC.
 */
import { SecPaidMockServer, type SecPaidMockServerOptions } from '../lib/testing/index.js';
import type { MockCommand, MockReply } from './mock-process.js';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SecPaidMockServerOptions;
  const mock = await SecPaidMockServer.start(options);
  const send = (reply: MockReply): void => {
    process.send?.(reply);
  };
  process.on('message', (message: MockCommand) => {
    switch (message.cmd) {
      case 'reset':
        mock.reset();
        send({ id: message.id, value: 0 });
        break;
      case 'count':
        send({
          id: message.id,
          value: mock.requests.filter((r) => message.path === undefined || r.path === message.path)
            .length,
        });
        break;
      case 'stop':
        void mock.stop().then(() => {
          process.removeAllListeners('disconnect');
          send({ id: message.id, value: 0 });
          process.disconnect();
        });
        break;
    }
  });
  // The parent died or was stopped without a `stop` command: do not linger.
  process.once('disconnect', () => {
    void mock.stop().then(() => process.exit(0));
  });
  send({ id: 0, value: 0, baseUrl: mock.baseUrl, apiKey: mock.accounts[0]!.apiKey });
}

void main();
