// ESM consumer without the optional peers: `import('nestjs-secpaid')` must still work.
import 'reflect-metadata';
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';
import flow from './minimal-flow.cjs';

const isInstalled = (name) => {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
};

process.exitCode = await flow.runMinimal(
  { isInstalled, loadMain: () => import('nestjs-secpaid'), common, core },
  'import',
);
