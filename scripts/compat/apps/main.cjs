'use strict';
// CommonJS consumer: loads Nest and nestjs-secpaid with `require` (require(esm) for the package).
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports */
require('reflect-metadata');
const common = require('@nestjs/common');
const core = require('@nestjs/core');
const config = require('@nestjs/config');
const terminus = require('@nestjs/terminus');
const main = require('nestjs-secpaid');
const health = require('nestjs-secpaid/health');
const testing = require('nestjs-secpaid/testing');
const { runFlow } = require('./flow.cjs');

runFlow({ common, core, config, terminus, main, health, testing }, 'cjs').then((code) => {
  process.exitCode = code;
});
