// Every item the package exports is documented with an @example (typedoc, run by
// `npm run docs`, checks that everything is documented, with warnings as errors).

import { join } from 'node:path'

import test from 'ava'
import ts from 'typescript'

test('every export of the public entry point has a doc comment with an @example', (t) => {
  const entry = join(__dirname, '..', 'js', 'index.ts')
  const program = ts.createProgram([entry], { strict: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(entry)
  const moduleSymbol = source && checker.getSymbolAtLocation(source)
  t.truthy(moduleSymbol)
  const exports = checker.getExportsOfModule(moduleSymbol as ts.Symbol)
  t.true(exports.length > 30)
  const missing: string[] = []
  for (const exported of exports) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
    const declarations = symbol.getDeclarations() ?? []
    const hasExample = declarations.some((d) => ts.getJSDocTags(d).some((tag) => tag.tagName.text === 'example'))
    if (!hasExample) missing.push(exported.name)
  }
  t.deepEqual(missing, [], `exports without @example: ${missing.join(', ')}`)
})
