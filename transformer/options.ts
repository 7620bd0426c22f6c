/**
 * The plugin's options, read from its `compilerOptions.plugins` entry.
 *
 * ts-patch passes every key of the entry except its own (`transform`,
 * `after`, `afterDeclarations`, `name`, `type`, `transformProgram`), and also
 * leaks `import`, `isEsm`, `tsConfig` and `resolvePathAliases`: those are
 * accepted and ignored. Anything else is reported by name.
 */
import { Diagnostics, type DiagnosticTemplate } from './diagnostics';

export interface TransformerOptions {
  /** The module the runtime is imported from in lowered output (default "gencoro"). */
  runtimeModule: string;
  /** Module specifiers whose `coroutine`/`engine`/`wait` exports are gencoro's (default ["gencoro"]). */
  modules: string[];
}

const HOST_KEYS = ['transform', 'after', 'afterDeclarations', 'name', 'type', 'transformProgram', 'import',
  'isEsm', 'tsConfig', 'resolvePathAliases'];
const KNOWN = ['runtimeModule', 'modules'];

export interface OptionProblem {
  template: DiagnosticTemplate;
  args: string[];
}

/** Parses `config` into options plus the problems found (unknown keys, bad values). */
export function parseOptions(config: unknown): { options: TransformerOptions; problems: OptionProblem[] } {
  const options: TransformerOptions = { runtimeModule: 'gencoro', modules: ['gencoro'] };
  const problems: OptionProblem[] = [];
  if (config === undefined || config === null) return { options, problems };
  if (typeof config !== 'object' || Array.isArray(config)) {
    problems.push({ template: Diagnostics.badOptionValue, args: ['(the plugin entry)', 'an object', show(config)] });
    return { options, problems };
  }
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (HOST_KEYS.includes(key)) continue;
    if (key === 'runtimeModule') {
      if (typeof value === 'string' && value !== '') options.runtimeModule = value;
      else problems.push({ template: Diagnostics.badOptionValue, args: [key, 'a non-empty string', show(value)] });
    } else if (key === 'modules') {
      if (Array.isArray(value) && value.every((m) => typeof m === 'string' && m !== '')) options.modules = value;
      else problems.push({ template: Diagnostics.badOptionValue, args: [key, 'an array of module names', show(value)] });
    } else {
      problems.push({ template: Diagnostics.unknownOption, args: [key, KNOWN.join(', ')] });
    }
  }
  if (!options.modules.includes(options.runtimeModule)) options.modules = [...options.modules, options.runtimeModule];
  return { options, problems };
}

/** A value as the message shows it: JSON where it has one, else a description (never throws). */
function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol' || typeof value === 'bigint') return 'a ' + typeof value + ' (' + String(value) + ')';
  try {
    return JSON.stringify(value);
  } catch (e) {
    return 'an object JSON cannot show (' + (e instanceof Error ? e.message : String(e)).split('\n')[0] + ')';
  }
}
