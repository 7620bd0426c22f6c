// Finding host programs (duk, mujs, a C compiler): one helper for the scripts (ES modules import it),
// bench/run.mjs and the tests (test/helpers/path.ts), which are CommonJS; hence a .cjs file.
'use strict';
const { accessSync, constants } = require('node:fs');
const { delimiter, join } = require('node:path');

/** The executable `name` on PATH, or null (found synchronously: tests are declared synchronously). */
function onPath(name) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this directory
    }
  }
  return null;
}

exports.onPath = onPath;
