import test from 'ava';
import { types } from 'node:util';
import {
  BadYieldError, GencoroError, KeyReuseError, LeakedCallbackError, Return, ReturnValueIgnoredError,
  TimeoutError, UnknownKeyError,
} from 'gencoro';

type ErrorClass = new (message?: string) => Error;

const named: Array<[string, ErrorClass]> = [
  ['GencoroError', GencoroError],
  ['BadYieldError', BadYieldError],
  ['ReturnValueIgnoredError', ReturnValueIgnoredError],
  ['KeyReuseError', KeyReuseError],
  ['UnknownKeyError', UnknownKeyError],
  ['LeakedCallbackError', LeakedCallbackError],
  ['TimeoutError', TimeoutError],
];

for (const [name, ErrorClass] of named) {
  test(`${name} is an instance of itself, GencoroError and Error`, (t) => {
    const error = new ErrorClass('something went wrong');
    t.true(error instanceof ErrorClass);
    t.true(error instanceof GencoroError);
    t.true(error instanceof Error);
    t.is(Object.getPrototypeOf(error), ErrorClass.prototype);
  });

  test(`${name} has the name "${name}" and keeps its message`, (t) => {
    const error = new ErrorClass('something went wrong');
    t.is(error.name, name);
    t.is(error.message, 'something went wrong');
    t.is(String(error), `${name}: something went wrong`);
  });

  test(`${name} has a stack string that starts with its name and message and points at its creator`, (t) => {
    const error = new ErrorClass('something went wrong');
    t.is(typeof error.stack, 'string');
    t.is(error.stack!.split('\n')[0], `${name}: something went wrong`);
    t.regex(error.stack!, /errors\.test\.ts/);
  });
}

test('every named error and Return is a native Error to the host (util.types.isNativeError), as an Error subclass is', (t) => {
  // ava's t.throws, util.inspect and error reporters only treat native errors as errors.
  for (const [name, ErrorClass] of named) {
    t.true(types.isNativeError(new ErrorClass('x')), name);
  }
  t.true(types.isNativeError(new Return(1)), 'Return');
});

test('a named error created without a message has an empty message', (t) => {
  t.is(new BadYieldError().message, '');
  t.is(new GencoroError().message, '');
});

test('the named error classes are distinct: one is not an instance of another', (t) => {
  const classes = named.slice(1).map(([, ErrorClass]) => ErrorClass);
  for (const A of classes) {
    for (const B of classes) {
      t.is(new A('x') instanceof B, A === B, `${A.name} vs ${B.name}`);
    }
  }
  t.false(new Return(1) instanceof BadYieldError);
  t.false(new GencoroError('x') instanceof BadYieldError);
});

test('Return is an instance of itself, GencoroError and Error', (t) => {
  const r = new Return(42);
  t.true(r instanceof Return);
  t.true(r instanceof GencoroError);
  t.true(r instanceof Error);
});

test('Return has the name "Return", a message and a stack string', (t) => {
  const r = new Return(42);
  t.is(r.name, 'Return');
  t.is(typeof r.message, 'string');
  t.not(r.message, '');
  t.is(typeof r.stack, 'string');
  t.is(r.stack!.split('\n')[0], `Return: ${r.message}`);
});

test('Return carries its value in .value, and undefined when made with no value', (t) => {
  const payload = { answer: 42 };
  t.is(new Return(payload).value, payload);
  t.is(new Return(0).value, 0);
  t.is(new Return().value, undefined);
  t.true(Object.prototype.hasOwnProperty.call(new Return(), 'value'));
});
