'use strict';
/* global module */
/**
 * The "no optional peers" check shared by minimal.mjs (import) and minimal.cjs (require): proves
 * @nestjs/config and @nestjs/terminus are absent, loads the main entry, and boots SecPaidModule.
 */

function report(step, status, detail) {
  console.log(`COMPAT ${JSON.stringify({ step, status, detail })}`);
}

function describeError(error) {
  return error instanceof Error ? `${error.name}: ${error.message}`.split('\n')[0] : String(error);
}

/**
 * @param {{ isInstalled: (name: string) => boolean, loadMain: () => Promise<object>,
 *   common: object, core: object }} mods
 * @returns the exit code
 */
async function runMinimal(mods, label) {
  const { isInstalled, loadMain, common, core } = mods;
  const present = ['@nestjs/config', '@nestjs/terminus'].filter(isInstalled);
  if (present.length > 0) {
    report('setup', 'fail', `expected not installed: ${present.join(', ')}`);
    return 1;
  }
  let main;
  try {
    main = await loadMain();
    report('load', 'pass', `${label}: main entry loaded without @nestjs/config, @nestjs/terminus`);
  } catch (error) {
    report('load', 'fail', `${label}: ${describeError(error)}`);
    return 1;
  }
  let context;
  try {
    class AppModule {}
    const imports = [
      main.SecPaidModule.forRoot({
        apiKey: 'compat-key',
        environment: 'development',
        baseUrl: 'http://127.0.0.1:9',
      }),
    ];
    const decorated = common.Module({ imports })(AppModule) || AppModule;
    context = await core.NestFactory.createApplicationContext(decorated, { logger: ['error'] });
    report('boot', 'pass', 'SecPaidModule.forRoot() boots in an application context');
    return 0;
  } catch (error) {
    report('boot', 'fail', describeError(error));
    return 1;
  } finally {
    if (context) await context.close();
    report('shutdown', 'pass', 'context closed');
  }
}

module.exports = { runMinimal };
