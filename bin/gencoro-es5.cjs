#!/usr/bin/env node
// gencoro-es5: one ES5 file from a program compiled by tspc (target ES5,
// module commonjs), for engines with no module system (Duktape, MuJS,
// embedded engines). Docs: docs/es5.md.
//
//   gencoro-es5 <entry.js> [-o out.js] [--expose NAME] [--external MODULE=GLOBAL]
//               [--no-runtime] [--no-es5-check]
//
// The file it writes is: the gencoro runtime (dist/gencoro.es5.js, which
// defines the global `gencoro`), a `console` made from `print` where the
// engine has none, then every CommonJS module reachable from the entry through
// relative `require`s, each wrapped in a function with its own `exports`,
// `require` and `module`, and finally a call that runs the entry.
// `require('gencoro')` gives the global `gencoro`. The wrapper itself is ES5,
// and the modules are checked for syntax that ES5 engines cannot run.
//
// It parses the modules with TypeScript (a peer dependency of gencoro, which a
// project that builds with tspc already has): the user's own first, else one
// that resolves from here.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const RUNTIME = path.join(__dirname, '..', 'dist', 'gencoro.es5.js');
const USAGE = [
  'usage: gencoro-es5 <entry.js> [-o out.js] [--expose NAME] [--external MODULE=GLOBAL]',
  '                   [--no-runtime] [--no-es5-check]',
  '',
  'Bundles <entry.js> (CommonJS, compiled by tspc with target ES5) and every module it',
  'reaches through relative require()s into one ES5 script, after the gencoro runtime.',
  '',
  '  -o, --output FILE        write the bundle to FILE (default: standard output)',
  '  --expose NAME            assign the entry module\'s exports to the global NAME',
  '                           (how a host reaches the functions the program exports)',
  '  --external MODULE=GLOBAL require(MODULE) gives the global GLOBAL (repeatable);',
  '                           gencoro and gencoro/es5 give the global gencoro',
  '  --no-runtime             leave dist/gencoro.es5.js out (the host loads it first)',
  '  --no-es5-check           do not reject ES2015+ syntax found in the modules',
  '  -h, --help               show this text',
].join('\n');

/** An error the command reports as one line, without a stack. */
class BundleError extends Error {}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Bundles the program whose entry module is `options.entry`.
 * Options: entry (path), runtime (default true), expose (global name or
 * undefined), externals ({ module: globalName }), es5Check (default true),
 * typescript (the module to parse with; found when omitted).
 * Returns { code, modules } where `modules` lists the bundled files, entry first.
 */
function bundle(options) {
  const ts = options.typescript || loadTypeScript();
  const entry = path.resolve(options.entry);
  const base = path.dirname(entry);
  const externals = Object.assign({ gencoro: 'gencoro', 'gencoro/es5': 'gencoro' }, options.externals);
  for (const name of Object.keys(externals)) {
    if (!IDENTIFIER.test(externals[name])) throw new BundleError('--external ' + name + '=' + externals[name] + ': not a global variable name');
  }
  if (options.expose !== undefined && !IDENTIFIER.test(options.expose)) {
    throw new BundleError('--expose ' + options.expose + ': not a global variable name');
  }
  if (!isFile(entry)) throw new BundleError('cannot read the entry module ' + options.entry);

  const idOf = (file) => path.relative(base, file).split(path.sep).join('/');
  const modules = []; // { file, id, code, requires: { specifier: id } }
  const seen = new Map();
  const pending = [entry];
  seen.set(entry, true);
  while (pending.length > 0) {
    const file = pending.shift();
    const id = idOf(file);
    const text = fs.readFileSync(file, 'utf8');
    const mod = { file, id, requires: {}, code: '' };
    modules.push(mod);
    if (file.endsWith('.json')) {
      let value;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new BundleError(id + ': not valid JSON: ' + e.message);
      }
      mod.code = 'module.exports = ' + jsonAsEs5(value) + ';';
      continue;
    }
    const found = scan(ts, file, id, text, options.es5Check !== false);
    for (const specifier of found.requires) {
      if (Object.prototype.hasOwnProperty.call(mod.requires, specifier)) continue;
      if (Object.prototype.hasOwnProperty.call(externals, specifier)) continue;
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) {
        throw new BundleError(id + ': require("' + specifier + '"): only relative modules are bundled; ' +
          'give it a global with --external ' + specifier + '=NAME' +
          (specifier === 'tslib' ? ' (or compile without importHelpers)' : ''));
      }
      const target = resolveModule(path.dirname(file), specifier);
      if (target === null) throw new BundleError(id + ': require("' + specifier + '"): no such module');
      mod.requires[specifier] = idOf(target);
      if (!seen.has(target)) {
        seen.set(target, true);
        pending.push(target);
      }
    }
    mod.code = text.replace(/^#!.*/, '').replace(/^\/\/# sourceMappingURL=.*$/gm, '');
  }
  return { code: render(modules, externals, options), modules: modules.map((m) => m.file) };
}

/** The `require('...')` specifiers of one module and, unless disabled, its first ES2015+ construct. */
function scan(ts, file, id, text, es5Check) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  if (source.parseDiagnostics && source.parseDiagnostics.length > 0) {
    const d = source.parseDiagnostics[0];
    throw new BundleError(where(source, id, d.start) + ': ' + ts.flattenDiagnosticMessageText(d.messageText, ' '));
  }
  const requires = [];
  const visit = (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' &&
        node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0])) {
      requires.push(node.arguments[0].text);
    }
    if (es5Check) {
      const what = notEs5(ts, node);
      if (what !== null) {
        throw new BundleError(where(source, id, node.getStart(source)) + ': ' + what + ' is not ES5; ' +
          'compile with "target": "ES5" (or pass --no-es5-check if your engine runs it)');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { requires };
}

/** What ES2015+ construct `node` is, or null. Not a proof of ES5, a guard against the usual mistakes. */
function notEs5(ts, node) {
  const K = ts.SyntaxKind;
  switch (node.kind) {
    case K.ArrowFunction: return 'an arrow function';
    case K.ClassDeclaration: case K.ClassExpression: return 'a class';
    case K.TemplateExpression: case K.NoSubstitutionTemplateLiteral: case K.TaggedTemplateExpression: return 'a template literal';
    case K.YieldExpression: return 'yield';
    case K.AwaitExpression: return 'await';
    case K.SpreadElement: case K.SpreadAssignment: return 'spread (...)';
    case K.ForOfStatement: return 'for...of';
    case K.ObjectBindingPattern: case K.ArrayBindingPattern: return 'destructuring';
    case K.ComputedPropertyName: return 'a computed property name';
    case K.ShorthandPropertyAssignment: return 'a shorthand property';
    case K.MetaProperty: return 'new.target or import.meta';
    case K.BigIntLiteral: return 'a BigInt literal';
    case K.ImportDeclaration: case K.ExportDeclaration: case K.ExportAssignment:
      return 'ES module syntax (compile with "module": "commonjs")';
    case K.VariableDeclarationList:
      return (node.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0 ? 'let/const' : null;
    case K.Parameter:
      if (node.dotDotDotToken) return 'a rest parameter';
      return node.initializer ? 'a default parameter value' : null;
    case K.MethodDeclaration:
      if (node.asteriskToken) return 'a generator function';
      return ts.isObjectLiteralExpression(node.parent) ? 'a method shorthand' : null;
    case K.FunctionDeclaration: case K.FunctionExpression:
      if (node.asteriskToken) return 'a generator function';
      return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Async) !== 0 ? 'an async function' : null;
    case K.BinaryExpression: {
      const op = node.operatorToken.kind;
      if (op === K.AsteriskAsteriskToken || op === K.AsteriskAsteriskEqualsToken) return 'the ** operator';
      if (op === K.QuestionQuestionToken || op === K.QuestionQuestionEqualsToken) return 'the ?? operator';
      if (op === K.BarBarEqualsToken || op === K.AmpersandAmpersandEqualsToken) return 'a logical assignment';
      if (op === K.EqualsToken && (ts.isObjectLiteralExpression(node.left) || ts.isArrayLiteralExpression(node.left))) {
        return 'a destructuring assignment';
      }
      return null;
    }
    case K.PropertyAccessExpression: case K.ElementAccessExpression: case K.CallExpression:
      return node.questionDotToken ? 'optional chaining (?.)' : null;
    case K.NumericLiteral:
      return /^0[bBoO]|_/.test(node.getText()) ? 'a binary, octal (0o) or separated numeric literal' : null;
    case K.RegularExpressionLiteral:
      return /[^gim]/.test(node.text.slice(node.text.lastIndexOf('/') + 1)) ? 'a regular expression flag other than g, i, m' : null;
    default: return null;
  }
}

function where(source, id, pos) {
  const lc = source.getLineAndCharacterOfPosition(pos);
  return id + ':' + (lc.line + 1) + ':' + (lc.character + 1);
}

/** Node's resolution of a relative specifier, limited to files: X, X.js, X.json, X/index.js. */
function resolveModule(dir, specifier) {
  const full = path.resolve(dir, specifier);
  for (const candidate of [full, full + '.js', full + '.json', path.join(full, 'index.js'), path.join(full, 'index.json')]) {
    if (isFile(candidate)) return candidate;
  }
  return null;
}

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch (e) {
    return false;
  }
}

/** JSON text that is also an ES5 expression (ES5 strings cannot hold U+2028/U+2029 raw). */
function jsonAsEs5(value) {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The bundle's text. Everything written here besides the modules is ES5. */
function render(modules, externals, options) {
  const out = [];
  out.push('/* Bundled by gencoro-es5 from ' + modules[0].id + ' (' + modules.length + ' module' +
    (modules.length === 1 ? '' : 's') + '). */');
  if (options.runtime !== false) {
    if (!isFile(RUNTIME)) throw new BundleError('the runtime ' + RUNTIME + ' is missing (in a checkout: npm run build)');
    // Inside a function whose `exports`, `module` and `define` are undefined, the
    // runtime's UMD wrapper takes its global path on every host, even where the
    // bundle is loaded as a CommonJS module.
    out.push(
      '(function (exports, module, define) {',
      fs.readFileSync(RUNTIME, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/gm, ''),
      '}).call(this);',
    );
  }
  out.push(
    '(function (global) {',
    'if (typeof global.console === "undefined" && typeof global.print === "function") {',
    '  global.console = { log: global.print, info: global.print, warn: global.print, error: global.print };',
    '}',
    'var externals = ' + JSON.stringify(externals) + ';',
    'var has = Object.prototype.hasOwnProperty;',
    'var cache = {};',
    'var definitions = {};',
  );
  for (const mod of modules) {
    const dir = path.posix.dirname(mod.id);
    out.push(
      'definitions[' + JSON.stringify(mod.id) + '] = [' + JSON.stringify(mod.requires) + ', ' +
        JSON.stringify(dir === '.' ? '' : dir) + ', function (exports, require, module, __filename, __dirname) {',
      mod.code,
      '}];',
    );
  }
  out.push(
    'function load(id) {',
    '  if (has.call(cache, id)) return cache[id].exports;',
    '  var definition = definitions[id];',
    '  var module = cache[id] = { id: id, exports: {}, loaded: false };',
    '  function require(name) {',
    '    if (has.call(definition[0], name)) return load(definition[0][name]);',
    '    if (has.call(externals, name)) {',
    '      if (typeof global[externals[name]] === "undefined") {',
    '        throw new Error("require(\\"" + name + "\\") in " + id + ": the global " + externals[name] +',
    '          " is not defined" + (externals[name] === "gencoro" ? " (load gencoro/es5 first)" : ""));',
    '      }',
    '      return global[externals[name]];',
    '    }',
    '    throw new Error("require(\\"" + name + "\\") in " + id + ": that module was not bundled");',
    '  }',
    '  definition[2].call(module.exports, module.exports, require, module, id, definition[1]);',
    '  module.loaded = true;',
    '  return module.exports;',
    '}',
    (options.expose !== undefined ? 'global[' + JSON.stringify(options.expose) + '] = ' : '') +
      'load(' + JSON.stringify(modules[0].id) + ');',
    '})(typeof globalThis !== "undefined" ? globalThis : this);',
    '',
  );
  return out.join('\n');
}

/** TypeScript, from the user's project first, else from wherever gencoro is. */
function loadTypeScript() {
  for (const from of [process.cwd(), __dirname]) {
    try {
      return require(require.resolve('typescript', { paths: [from] }));
    } catch (e) {
      // try the next place
    }
  }
  throw new BundleError('gencoro-es5 parses the modules with TypeScript, which was not found: npm install --save-dev typescript');
}

function parseArguments(argv) {
  const options = { entry: undefined, output: undefined, expose: undefined, externals: {}, runtime: true, es5Check: true };
  const value = (i, flag) => {
    if (i >= argv.length) throw new BundleError(flag + ' needs a value\n\n' + USAGE);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return null;
    else if (arg === '-o' || arg === '--output') options.output = value(++i, arg);
    else if (arg === '--expose') options.expose = value(++i, arg);
    else if (arg === '--external') {
      const spec = value(++i, arg);
      const eq = spec.lastIndexOf('=');
      if (eq <= 0) throw new BundleError('--external ' + spec + ': expected MODULE=GLOBAL');
      options.externals[spec.slice(0, eq)] = spec.slice(eq + 1);
    } else if (arg === '--no-runtime') options.runtime = false;
    else if (arg === '--no-es5-check') options.es5Check = false;
    else if (arg.startsWith('-')) throw new BundleError('unknown option ' + arg + '\n\n' + USAGE);
    else if (options.entry === undefined) options.entry = arg;
    else throw new BundleError('one entry module only (got ' + options.entry + ' and ' + arg + ')\n\n' + USAGE);
  }
  if (options.entry === undefined) throw new BundleError('no entry module given\n\n' + USAGE);
  return options;
}

function main(argv) {
  try {
    const options = parseArguments(argv);
    if (options === null) {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    const result = bundle(options);
    if (options.output === undefined) {
      process.stdout.write(result.code);
    } else {
      fs.mkdirSync(path.dirname(path.resolve(options.output)), { recursive: true });
      fs.writeFileSync(options.output, result.code);
      process.stderr.write('gencoro-es5: wrote ' + options.output + ' (' + result.modules.length + ' module' +
        (result.modules.length === 1 ? '' : 's') + ', ' + Math.round(Buffer.byteLength(result.code) / 1024) + ' KB)\n');
    }
    return 0;
  } catch (e) {
    if (!(e instanceof BundleError)) throw e;
    process.stderr.write('gencoro-es5: ' + e.message + '\n');
    return 1;
  }
}

module.exports = { bundle, BundleError };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
