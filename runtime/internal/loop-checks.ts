/**
 * Argument checks of IOLoop's public methods: each bad input gets a
 * TypeError that names the method and what it received.
 */
import { message } from '../errors.js';
import type { IOLoopOptions, RunSyncOptions } from '../ioloop.js';
import { describe } from './values.js';

export function checkCallback(fn: unknown, where: string): void {
  if (typeof fn !== 'function') throw new TypeError(message(where, 'expected a function, got ' + describe(fn)));
}

export function checkTime(value: unknown, where: string, name: string): void {
  if (typeof value !== 'number' || value !== value || value === Infinity || value === -Infinity) {
    throw new TypeError(message(where, name + ' must be a finite number of ms, got ' + describe(value)));
  }
}

export function checkLoopOptions(options: unknown): IOLoopOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new TypeError(message('new IOLoop', 'options must be an object, got ' + describe(options)));
  }
  for (const key in options as object) {
    if (key !== 'clock' && key !== 'standalone') {
      throw new TypeError(message('new IOLoop', 'unknown option "' + key + '" (known: clock, standalone)'));
    }
  }
  const standalone = (options as IOLoopOptions).standalone;
  if (standalone !== undefined && typeof standalone !== 'boolean') {
    throw new TypeError(message('new IOLoop', 'standalone must be true or false, got ' + describe(standalone)));
  }
  const clock = (options as IOLoopOptions).clock;
  if (clock !== undefined && clock !== 'real' && clock !== 'virtual') {
    throw new TypeError(message('new IOLoop', 'clock must be "real" or "virtual", got ' + describe(clock)));
  }
  return options as IOLoopOptions;
}

export function checkRunSyncOptions(options: unknown): number | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(message('IOLoop.runSync', 'options must be an object, got ' + describe(options)));
  }
  for (const key in options as object) {
    if (key !== 'timeout') throw new TypeError(message('IOLoop.runSync', 'unknown option "' + key + '" (known: timeout)'));
  }
  const timeout = (options as RunSyncOptions).timeout;
  if (timeout === undefined) return undefined;
  if (typeof timeout !== 'number' || !(timeout >= 0) || timeout === Infinity) {
    throw new TypeError(message('IOLoop.runSync', 'timeout must be a non-negative number of ms, got ' + describe(timeout)));
  }
  return timeout;
}
