// (a) on an ES5 engine: one coroutine doing N yields of an already-done
// Future, run with runSync on a virtual-clock loop. Two candidates, the same
// source (bench/lowered/a-done-yields.ts) on the same runtime
// (dist/gencoro.es5.js): `lowered` (the plugin, target ES5) and `tsgen`
// (TypeScript's own ES5 output, its `__generator` helper, no plugin).
// N is smaller than on Node: these are interpreters.
(function () {
  var N = 200000;
  var loop = new gencoro.IOLoop({ clock: 'virtual' });
  var lowered = MODULES.es5lowered.main;
  var tsgen = MODULES.tsgen.main;
  BENCH.checkVariant('es5lowered', lowered, [0]);
  BENCH.checkVariant('tsgen', tsgen, [0]);

  var expected = 0;
  for (var i = 0; i < N; i++) expected = BENCH.mix(expected, 1 + i);

  BENCH.run({
    id: 'a',
    title: '200k yields of a done future',
    unit: 'yield',
    ops: N,
    expected: expected,
    rounds: 5,
    warmup: 1,
    candidates: {
      lowered: function () { return loop.runSync(function () { return lowered(N); }); },
      tsgen: function () { return loop.runSync(function () { return tsgen(N); }); },
    },
  });
})();
