// One ES5 file from the runtime and one CommonJS module, for engines with no
// module system (duk, mujs): dist/gencoro.es5.js (which defines the global
// `gencoro`), a console where the engine has only `print`, then the module
// inside a function, so its own "use strict" prologue still applies, with a
// `require` that maps 'gencoro' to the global. Used by the fixture tests and the
// TypeScript 6 tests; users (and the example, scripts/example.mjs) have
// bin/gencoro-es5.cjs, which also bundles a program of several modules.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const runtimePath = join(__dirname, '..', 'dist/gencoro.es5.js');

/** The bundle's text for the module `moduleJs` (CommonJS, compiled at target ES5). */
function bundleCommonJs(moduleJs) {
  return [
    readFileSync(runtimePath, 'utf8'),
    'if (typeof console === "undefined") { console = { log: print, error: print }; }',
    '(function (exports, require) {',
    moduleJs,
    '})({}, function (name) { if (name === "gencoro") return gencoro; throw new Error("cannot require " + name); });',
  ].join('\n');
}

module.exports = { bundleCommonJs };
