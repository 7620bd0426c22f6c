// The ES5-engine half of the benchmark (duk, mujs): the counterpart of
// bench/workloads/_harness.mjs for engines with no Node APIs. Bundled by
// bench/workloads/_compile.mjs into .tmp/bench/es5/<workload>.js after
// dist/gencoro.es5.js and before the compiled modules (MODULES.<variant>) and
// the driver, which calls BENCH.run(spec):
//   spec = { id, title, unit, ops, expected, rounds, warmup,
//            candidates: { lowered: function () { return checksum; }, tsgen: ... } }
// Candidate names get the engine as prefix (`duk-lowered`). Times come from
// Date.now() (ms) around one whole run of a candidate, divided by `ops`;
// rounds are round-robin, starting from a different candidate each round, as
// on Node. Prints one JSON line (the shape bench/run.mjs reads). Options:
// duk:  duk -e 'var BENCH_ARGS = ["--rounds=5", "--warmup=1"]' bundle.js
// mujs: mujs bundle.js --rounds=5 --warmup=1
// Anything wrong (a checksum, a candidate of the wrong kind, something the
// runtime logs) throws, which exits the engine with a non-zero status.
var BENCH = (function () {
  'use strict';

  // MuJS has no Math.imul (Duktape does); the workload bodies use it.
  if (typeof Math.imul !== 'function') {
    Math.imul = function (a, b) {
      var ah = (a >>> 16) & 0xffff, al = a & 0xffff, bh = (b >>> 16) & 0xffff, bl = b & 0xffff;
      return (al * bl + (((ah * bl + al * bh) << 16) >>> 0)) | 0;
    };
  }

  var engine = typeof Duktape === 'object' ? 'duk' : 'mujs';
  var host = engine === 'duk'
    ? 'duk ' + Math.floor(Duktape.version / 10000) + '.' + Math.floor(Duktape.version / 100) % 100 + '.' + Duktape.version % 100
    : 'mujs';

  var args = typeof BENCH_ARGS !== 'undefined' ? BENCH_ARGS : typeof scriptArgs !== 'undefined' ? scriptArgs : [];
  function option(name, fallback) {
    for (var i = 0; i < args.length; i++) {
      var m = /^--([a-z]+)=(\d+)$/.exec(args[i]);
      if (m && m[1] === name) return Number(m[2]);
    }
    return fallback;
  }

  var logs = [];
  gencoro.setLogger(function (message, error) { logs.push(message + (error === undefined ? '' : ': ' + String(error))); });

  function mix(acc, v) {
    return (Math.imul(acc, 31) + v) | 0;
  }

  function median(sorted) {
    var n = sorted.length;
    return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * Throws unless the coroutine function `fn` of `variant` runs the body that
   * variant must: a StateMachine (es5lowered) or TypeScript's __generator
   * object (tsgen); and unless the module text has the right shape.
   */
  function checkVariant(variant, fn, bodyArgs) {
    var text = MODULE_TEXT[variant];
    if (/\bfunction\s*\*/.test(text)) throw new Error(variant + ': the compiled module contains function*');
    var machines = /\bnew\s+[\w$]+\.StateMachine\(|\.begin\(step/.test(text);
    var helper = /\b__generator\(this,/.test(text);
    if (variant === 'es5lowered' ? !machines || helper : machines || !helper) {
      throw new Error(variant + ': the compiled module does not look like a ' + variant + ' compile');
    }
    if (!gencoro.isCoroutineFunction(fn) || typeof fn.__wrapped__ !== 'function') throw new Error(variant + ': not a coroutine function');
    var body = fn.__wrapped__.apply(undefined, bodyArgs);
    var isMachine = body instanceof gencoro.StateMachine;
    if (variant === 'es5lowered' ? !isMachine : isMachine || typeof body.next !== 'function') {
      throw new Error(variant + ': the coroutine body returned ' + (isMachine ? 'a StateMachine' : String(body)));
    }
  }

  function run(spec) {
    var started = Date.now();
    var rounds = option('rounds', spec.rounds || 5);
    var warmup = option('warmup', spec.warmup === undefined ? 1 : spec.warmup);
    var names = [];
    for (var k in spec.candidates) names.push(k);
    names.sort(); // MuJS enumerates keys sorted anyway: make every engine agree
    var samples = {};
    var checksums = {};
    for (var n = 0; n < names.length; n++) samples[names[n]] = [];
    for (var round = 0; round < warmup + rounds; round++) {
      for (var j = 0; j < names.length; j++) {
        var name = names[(j + round) % names.length];
        var t0 = Date.now();
        var checksum = spec.candidates[name]();
        var t1 = Date.now();
        if (logs.length > 0) throw new Error('workload ' + spec.id + ': candidate ' + name + ' made the runtime log: ' + logs.join('; '));
        if (checksum !== spec.expected) {
          throw new Error('workload ' + spec.id + ': CHECKSUM MISMATCH: candidate ' + name + ' computed ' + checksum + ', expected ' + spec.expected);
        }
        checksums[name] = checksum;
        if (round >= warmup) samples[name].push((t1 - t0) * 1e6 / spec.ops);
      }
    }
    var candidates = {};
    for (var c = 0; c < names.length; c++) {
      var s = samples[names[c]].slice().sort(function (x, y) { return x - y; });
      candidates[engine + '-' + names[c]] = {
        median: median(s), min: s[0], max: s[s.length - 1],
        samples: samples[names[c]], checksum: checksums[names[c]],
      };
    }
    print(JSON.stringify({
      workload: spec.id, title: spec.title, metric: 'time', unit: spec.unit, ops: spec.ops,
      rounds: rounds, warmup: warmup, host: host, engine: engine,
      elapsedMs: Date.now() - started, candidates: candidates,
    }));
  }

  return { mix: mix, run: run, checkVariant: checkVariant, engine: engine };
})();
