/**
 * Finds the coroutine generators of a file, as SPEC says:
 * - generator methods decorated with `@coroutine` or `@engine`;
 * - generator functions passed directly to `coroutine(...)` or `engine(...)`;
 * - generator functions carrying a `/** @coroutine *\/` JSDoc tag.
 * Names count when they are gencoro's: through the checker when there is a
 * Program (aliases and re-exports resolved), else by tracking the file's
 * imports of gencoro (`import { coroutine as co }`, `import * as g`,
 * `import g = require(...)`, `import co = g.coroutine`). A
 * same-named function from elsewhere does not count.
 */
import type * as ts from 'typescript';
import { parentThroughOuter, skipOuterExpressions } from './analysis';

export type MarkerName = 'coroutine' | 'engine' | 'wait';

/** gencoro's declaration directory per Program (and module list). */
const packageDirs = new WeakMap<ts.Program, Map<string, string | null>>();

export class Detector {
  private readonly named = new Map<string, MarkerName>();
  private readonly namespaces = new Set<string>();
  private gencoroDir: string | null | undefined;

  constructor(private readonly t: typeof ts, private readonly file: ts.SourceFile,
    private readonly modules: readonly string[], private readonly program: ts.Program | undefined) {
    for (const s of file.statements) this.trackImport(s);
    for (const s of file.statements) if (t.isImportEqualsDeclaration(s)) this.trackAlias(s);
  }

  /**
   * An import-equals alias of what the imports name: `import co = g.coroutine`
   * (a member of a namespace import), `import h = g` (the namespace itself),
   * `import c = coroutine`. In file order, so aliases of aliases resolve.
   */
  private trackAlias(s: ts.ImportEqualsDeclaration): void {
    const t = this.t;
    const ref = s.moduleReference;
    if (t.isIdentifier(ref)) {
      if (this.namespaces.has(ref.text)) this.namespaces.add(s.name.text);
      const name = this.named.get(ref.text);
      if (name !== undefined) this.named.set(s.name.text, name);
    } else if (t.isQualifiedName(ref) && t.isIdentifier(ref.left) && this.namespaces.has(ref.left.text)) {
      const n = ref.right.text;
      if (n === 'coroutine' || n === 'engine' || n === 'wait') this.named.set(s.name.text, n);
    }
  }

  private trackImport(s: ts.Statement): void {
    const t = this.t;
    if (t.isImportDeclaration(s) && t.isStringLiteral(s.moduleSpecifier) && this.modules.includes(s.moduleSpecifier.text)) {
      const bindings = s.importClause?.namedBindings;
      if (bindings && t.isNamespaceImport(bindings)) this.namespaces.add(bindings.name.text);
      if (bindings && t.isNamedImports(bindings)) {
        for (const el of bindings.elements) {
          const imported = (el.propertyName ?? el.name).text;
          if (imported === 'coroutine' || imported === 'engine' || imported === 'wait') this.named.set(el.name.text, imported);
        }
      }
    }
    if (t.isImportEqualsDeclaration(s) && t.isExternalModuleReference(s.moduleReference) &&
        t.isStringLiteral(s.moduleReference.expression) && this.modules.includes(s.moduleReference.expression.text)) {
      this.namespaces.add(s.name.text);
    }
  }

  /** Which gencoro function `expr` names, if any. */
  marker(expr: ts.Expression): MarkerName | undefined {
    const t = this.t;
    expr = skipOuterExpressions(t, expr);
    const checked = this.viaChecker(expr);
    if (checked !== undefined) return checked === null ? undefined : checked;
    if (t.isIdentifier(expr)) {
      const name = this.named.get(expr.text);
      return name !== undefined && !isShadowed(t, expr) ? name : undefined;
    }
    if (t.isPropertyAccessExpression(expr) && t.isIdentifier(expr.expression) && this.namespaces.has(expr.expression.text) &&
        !isShadowed(t, expr.expression)) {
      const n = expr.name.text;
      return n === 'coroutine' || n === 'engine' || n === 'wait' ? n : undefined;
    }
    return undefined;
  }

  /** The checker's answer: a name, null for "not gencoro's", undefined when it cannot tell. */
  private viaChecker(expr: ts.Expression): MarkerName | null | undefined {
    if (this.program === undefined || expr.pos < 0) return undefined;
    const t = this.t;
    const checker = this.program.getTypeChecker();
    let symbol = checker.getSymbolAtLocation(t.isPropertyAccessExpression(expr) ? expr.name : expr);
    if (symbol === undefined) return undefined;
    if (symbol.flags & t.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const decl = symbol.declarations?.[0];
    if (decl === undefined) return undefined;
    const dir = this.packageDir();
    if (dir === null) return undefined;
    if (!decl.getSourceFile().fileName.startsWith(dir)) return null;
    const name = symbol.name;
    return name === 'coroutine' || name === 'engine' || name === 'wait' ? name : null;
  }

  /** The directory holding gencoro's declarations as this program resolves it, or null. */
  private packageDir(): string | null {
    if (this.gencoroDir !== undefined) return this.gencoroDir;
    // Resolved once per Program and module list, not once per file.
    const cacheKey = this.modules.join('\0');
    const cached = packageDirs.get(this.program!)?.get(cacheKey);
    if (cached !== undefined) return this.gencoroDir = cached;
    this.gencoroDir = this.resolvePackageDir();
    let perProgram = packageDirs.get(this.program!);
    if (perProgram === undefined) packageDirs.set(this.program!, perProgram = new Map());
    perProgram.set(cacheKey, this.gencoroDir);
    return this.gencoroDir;
  }

  /** Where the first of the modules resolves from this file (files of one Program resolve it alike). */
  private resolvePackageDir(): string | null {
    const program = this.program!;
    for (const m of this.modules) {
      const resolved = this.t.resolveModuleName(m, this.file.fileName, program.getCompilerOptions(), this.t.sys).resolvedModule;
      if (resolved !== undefined) {
        const file = resolved.resolvedFileName;
        // gencoro's own build: dist/cjs/index.d.ts or dist/esm/index.d.mts -> the package's dist/.
        const i = file.lastIndexOf('/dist/');
        return i >= 0 ? file.slice(0, i + '/dist/'.length) : file.slice(0, file.lastIndexOf('/') + 1);
      }
    }
    return null;
  }

  /** How `fn` is marked as a coroutine, or undefined. */
  markedBy(fn: ts.Node): string | undefined {
    const t = this.t;
    if (t.isMethodDeclaration(fn)) {
      for (const d of t.canHaveDecorators(fn) ? t.getDecorators(fn) ?? [] : []) {
        const name = this.marker(d.expression);
        if (name === 'coroutine' || name === 'engine') return '@' + name;
      }
      return undefined;
    }
    if (t.isFunctionExpression(fn) || t.isArrowFunction(fn)) {
      // Through parentheses and type-only wrappers (`as`, `<T>`, `!`, `satisfies`): the same function at run time.
      const parent = parentThroughOuter(t, fn);
      if (parent !== undefined && t.isCallExpression(parent) && parent.arguments.length > 0 &&
          skipOuterExpressions(t, parent.arguments[0]) === fn) {
        const name = this.marker(parent.expression);
        if (name === 'coroutine' || name === 'engine') return name + '(...)';
      }
    }
    if ((t.isFunctionExpression(fn) || t.isFunctionDeclaration(fn)) && this.hasCoroutineTag(fn)) return '/** @coroutine */';
    return undefined;
  }

  /**
   * The JSDoc tag, read from the comment text itself: TypeScript 5.3+ may
   * skip parsing JSDoc in .ts files, so `getJSDocTags` cannot be relied on.
   */
  private hasCoroutineTag(fn: ts.FunctionExpression | ts.FunctionDeclaration): boolean {
    const t = this.t;
    const text = this.file.text;
    const holders: ts.Node[] = [fn];
    const p = fn.parent;
    if (p && t.isVariableDeclaration(p) && p.initializer === fn) {
      holders.push(p);
      if (p.parent && t.isVariableDeclarationList(p.parent) && p.parent.parent) holders.push(p.parent.parent);
    }
    if (t.isFunctionDeclaration(fn) && fn.parent && t.isExportAssignment(fn.parent)) holders.push(fn.parent);
    for (const h of holders) {
      // A comment after `=` on the same line is a "trailing" comment of the `=` token.
      const comments = [...t.getLeadingCommentRanges(text, h.pos) ?? [], ...t.getTrailingCommentRanges(text, h.pos) ?? []];
      for (const c of comments) {
        const comment = text.slice(c.pos, c.end);
        if (comment.startsWith('/**') && /@coroutine\b/.test(comment)) return true;
      }
    }
    return false;
  }
}

/** True if a binding named like `id` is declared between it and the file's top level. */
function isShadowed(t: typeof ts, id: ts.Identifier): boolean {
  const name = id.text;
  for (let n: ts.Node | undefined = id.parent; n !== undefined && !t.isSourceFile(n); n = n.parent) {
    if (t.isFunctionLike(n)) {
      if (n.parameters.some((p) => declares(t, p.name, name))) return true;
      if (t.isFunctionExpression(n) && n.name?.text === name) return true;
      const body = (n as { body?: ts.Node }).body;
      if (body !== undefined && declaresVar(t, body, name)) return true;
    }
    // A namespace body and a static block are `var` scopes too.
    if ((t.isModuleDeclaration(n) || t.isClassStaticBlockDeclaration(n)) && n.body !== undefined && declaresVar(t, n.body, name)) {
      return true;
    }
    if ((t.isForStatement(n) || t.isForInStatement(n) || t.isForOfStatement(n)) && n.initializer &&
        t.isVariableDeclarationList(n.initializer) && n.initializer.declarations.some((d) => declares(t, d.name, name))) {
      return true;
    }
    const statements = t.isBlock(n) || t.isModuleBlock(n) ? n.statements : undefined;
    if (statements && statements.some((s) => statementDeclares(t, s, name))) return true;
    // A declaration in any clause of a switch is in scope in all of them.
    if (t.isCaseBlock(n) && n.clauses.some((c) => c.statements.some((s) => statementDeclares(t, s, name)))) return true;
    if (t.isCatchClause(n) && n.variableDeclaration && declares(t, n.variableDeclaration.name, name)) return true;
  }
  return false;
}

/** A `var` named `name` anywhere in `body`, outside nested functions, namespaces and static blocks (their own `var` scopes). */
function declaresVar(t: typeof ts, body: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || t.isFunctionLike(n) || t.isClassLike(n) || t.isModuleDeclaration(n) || t.isClassStaticBlockDeclaration(n)) return;
    if (t.isVariableDeclarationList(n) && (n.flags & t.NodeFlags.BlockScoped) === 0 &&
        n.declarations.some((d) => declares(t, d.name, name))) {
      found = true;
      return;
    }
    t.forEachChild(n, visit);
  };
  t.forEachChild(body, visit);
  return found;
}

function statementDeclares(t: typeof ts, s: ts.Statement, name: string): boolean {
  if (t.isVariableStatement(s)) return s.declarationList.declarations.some((d) => declares(t, d.name, name));
  if ((t.isFunctionDeclaration(s) || t.isClassDeclaration(s) || t.isEnumDeclaration(s) || t.isImportEqualsDeclaration(s)) &&
      s.name !== undefined && t.isIdentifier(s.name) && s.name.text === name) return true;
  // A namespace declares its name even when it holds only types (then `N.coroutine` is not a value at all).
  return t.isModuleDeclaration(s) && t.isIdentifier(s.name) && s.name.text === name;
}

function declares(t: typeof ts, binding: ts.BindingName, name: string): boolean {
  if (t.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((e) => !t.isOmittedExpression(e) && declares(t, e.name, name));
}
