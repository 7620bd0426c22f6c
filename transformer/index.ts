/**
 * gencoro/transformer: the ts-patch plugin entry.
 *
 * The lowering is not implemented yet (issue 3). Until it is, this entry
 * refuses to run instead of pretending to lower: a build that lists the
 * plugin fails with a message saying so.
 */
export default function gencoroTransformer(): never {
  throw new Error('[gencoro] gencoro/transformer: the compiler plugin is not implemented yet; ' +
    'remove it from compilerOptions.plugins (coroutines run unlowered on the runtime meanwhile)');
}
