// Prints the size of gencoro/es5 (dist/gencoro.es5.js) as shipped, minified by terser
// (`terser -c -m`: compress and mangle, default options) and that gzipped (level 9).
// Run after `npm run build` (`npm run size` builds first).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = 6 * 1024;
const source = readFileSync(join(root, 'dist/gencoro.es5.js'), 'utf8');
const { code } = await minify(source, { compress: true, mangle: true });
const gz = (text) => gzipSync(text, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(2) + ' KB';
console.log(`gencoro/es5 (dist/gencoro.es5.js): ${source.length} bytes, gzipped ${gz(source)}`);
console.log(`minified (terser -c -m): ${code.length} bytes; minified and gzipped: ${gz(code)} bytes (${kb(gz(code))}; target ${kb(target)})`);
