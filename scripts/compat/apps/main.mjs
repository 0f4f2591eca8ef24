// ESM consumer: loads Nest and nestjs-secpaid with `import`, then runs the shared flow.
import 'reflect-metadata';
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';
import * as config from '@nestjs/config';
import * as terminus from '@nestjs/terminus';
import * as main from 'nestjs-secpaid';
import * as health from 'nestjs-secpaid/health';
import * as testing from 'nestjs-secpaid/testing';
import flow from './flow.cjs';

process.exitCode = await flow.runFlow(
  { common, core, config, terminus, main, health, testing },
  'esm',
);
