// Runs a program for the fixture and ES5 scripts (scripts/fixtures.mjs, scripts/es5.mjs): a plain
// environment (no NODE_OPTIONS: ava runs under tsx, and its loaders must not reach the child),
// a timeout, and the outcome as data, never a rejection.
import { execFile } from 'node:child_process';

/** Line endings as `\n`. */
export function normalise(text) {
  return String(text).replace(/\r\n?/g, '\n');
}

/**
 * Runs `file` with `args` (and `input` on its stdin, if given). Resolves to
 * { status (null if killed), signal, stdout, stderr (line endings normalised),
 * error (a spawn failure or a timeout, else null) }.
 */
export function runProcess(file, args, { timeoutMs, input } = {}) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return new Promise(function (resolve) {
    const child = execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      function (error, stdout, stderr) {
        resolve({
          status: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          signal: error && error.signal ? error.signal : null,
          stdout: normalise(stdout),
          stderr: normalise(stderr),
          error: error && typeof error.code !== 'number' ? String(error.message) : null,
        });
      });
    if (input !== undefined) child.stdin.end(input);
  });
}
