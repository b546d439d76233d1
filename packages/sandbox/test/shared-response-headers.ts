/**
 * Finds Responses built from a shared, module-level headers object (issue 14 item 6): servers such as
 * @hono/node-server write Content-Length into the init object they are given, so a shared one leaks a
 * stale length into every later response that uses it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface SharedHeadersFinding {
  file: string;
  line: number;
  text: string;
}

/** Hono context methods whose last argument is a headers object. */
const CONTEXT_METHODS = new Set(['html', 'text', 'json', 'body', 'newResponse']);

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts)$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) && !name.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files;
}

function moduleBindings(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) addBinding(declaration.name);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings))
        for (const spec of bindings.elements) names.add(spec.name.text);
    }
  }
  return names;
}

/** Names declared inside the functions enclosing `node` (parameters and locals shadow module bindings). */
function declaredLocally(node: ts.Node, name: string): boolean {
  for (let scope = node.parent; scope; scope = scope.parent) {
    if (!ts.isFunctionLike(scope)) continue;
    let found = false;
    const visit = (child: ts.Node) => {
      if (found) return;
      if ((ts.isVariableDeclaration(child) || ts.isParameter(child)) && ts.isIdentifier(child.name)) {
        if (child.name.text === name) found = true;
      }
      ts.forEachChild(child, visit);
    };
    ts.forEachChild(scope, visit);
    if (found) return true;
  }
  return false;
}

/** The identifier an expression reads a shared object through (`X`, `X.y`, `X['y']`), if any. */
function rootIdentifier(expression: ts.Expression): ts.Identifier | null {
  let current = expression;
  for (;;) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isSatisfiesExpression(current)
    ) {
      current = current.expression;
    } else if (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) {
      current = current.expression;
    } else {
      return ts.isIdentifier(current) ? current : null;
    }
  }
}

/** The argument that carries the response's init or headers: `new Response(body, init)`, `Response.json(data, init)`, `c.html(body, status, headers)`. */
function headersArgument(call: ts.CallExpression | ts.NewExpression): ts.Expression | undefined {
  const callee = call.expression;
  const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (ts.isNewExpression(call))
    return ts.isIdentifier(callee) && callee.text === 'Response' ? args[1] : undefined;
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  if (ts.isIdentifier(callee.expression) && callee.expression.text === 'Response') {
    return method === 'json' ? args[1] : undefined;
  }
  return CONTEXT_METHODS.has(method) ? args[2] : undefined;
}

export function findSharedResponseHeaders(
  code: string,
  fileName = 'input.ts',
): Omit<SharedHeadersFinding, 'file'>[] {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  const shared = moduleBindings(source);
  const findings: Omit<SharedHeadersFinding, 'file'>[] = [];
  const isShared = (expression: ts.Expression, at: ts.Node) => {
    const root = rootIdentifier(expression);
    return root !== null && shared.has(root.text) && !declaredLocally(at, root.text);
  };
  const report = (node: ts.Node) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    findings.push({ line: line + 1, text: node.getText(source).slice(0, 120) });
  };
  const checkInit = (init: ts.Expression) => {
    if (isShared(init, init)) return report(init);
    if (!ts.isObjectLiteralExpression(init)) return;
    for (const property of init.properties) {
      if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'headers') {
        if (shared.has('headers') && !declaredLocally(property, 'headers')) report(property);
      } else if (
        ts.isPropertyAssignment(property) &&
        property.name.getText(source).replace(/['"]/g, '') === 'headers' &&
        isShared(property.initializer, property)
      ) {
        report(property);
      }
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
      const init = headersArgument(node);
      if (init) checkInit(init);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** Scans every production source file of packages/* and apps/* under `root`. */
export function scanRepository(root: string): SharedHeadersFinding[] {
  const findings: SharedHeadersFinding[] = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group))) {
      const src = join(root, group, name, 'src');
      try {
        if (!statSync(src).isDirectory()) continue;
      } catch {
        continue;
      }
      for (const file of sourceFiles(src)) {
        for (const finding of findSharedResponseHeaders(readFileSync(file, 'utf8'), file)) {
          findings.push({ file: relative(root, file), ...finding });
        }
      }
    }
  }
  return findings;
}
