'use strict';
// CommonJS consumer without the optional peers: `require('nestjs-secpaid')` must still work.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports */
require('reflect-metadata');
const common = require('@nestjs/common');
const core = require('@nestjs/core');
const { runMinimal } = require('./minimal-flow.cjs');

const isInstalled = (name) => {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
};

runMinimal(
  { isInstalled, loadMain: async () => require('nestjs-secpaid'), common, core },
  'require',
).then((code) => {
  process.exitCode = code;
});
