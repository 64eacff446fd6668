/**
 * Part of `npm run import`: reads the public API (everything reachable from src/index.ts) with the TypeScript
 * compiler and writes src/imports/prop-shapes.ts, the run-time shape of every props/options struct (inherited
 * members included) and the parameter lists of public constructors, static factories and the instance methods that
 * call `checkArgs` under their own name. `checkProps` and
 * `checkArgs` (src/internal/prop-check.ts) walk caller input against these tables, so JavaScript and jsii callers
 * get the same checks the compiler gives TypeScript callers.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'src');
const importsDir = path.join(srcDir, 'imports');

/** A field's shape; mirrored by `Shape` in src/internal/prop-check.ts. */
type Shape =
  | { t: 'string' | 'number' | 'boolean' | 'any' | 'Duration' | 'Size' }
  | { t: 'class' | 'struct' | 'object'; n: string }
  | { t: 'enum'; n?: string; values: Array<string | number>; names?: string[] }
  | { t: 'array' | 'map'; of: Shape }
  | { t: 'union'; of: Shape[] };

interface Field { readonly name: string; readonly optional: boolean; readonly shape: Shape }

function isLibrarySource(file: ts.SourceFile): boolean {
  const f = path.resolve(file.fileName);
  return f.startsWith(srcDir + path.sep) && !f.startsWith(importsDir + path.sep);
}

function declFile(sym: ts.Symbol | undefined): ts.SourceFile | undefined {
  return sym?.declarations?.[0]?.getSourceFile();
}

export function generatePropShapes(): string {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); },
  });
  const options = { ...(config?.options ?? {}), noEmit: true };
  const program = ts.createProgram([path.join(srcDir, 'index.ts')], options);
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(srcDir, 'index.ts'));
  if (!index) throw new Error('src/index.ts not found');
  const moduleSym = checker.getSymbolAtLocation(index)!;

  const structs = new Map<string, Field[]>();
  const pending: Array<[string, ts.Type]> = [];
  const exportedStructs: string[] = [];
  const args = new Map<string, Field[]>();

  const isDataInterface = (type: ts.Type): boolean =>
    checker.getPropertiesOfType(type).every((p) => {
      const d = p.valueDeclaration ?? p.declarations?.[0];
      return d !== undefined && ts.isPropertySignature(d);
    });

  function shapeOf(type: ts.Type): Shape {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { t: 'any' };
    if (type.isUnion()) {
      const members = type.types.filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
      if (members.length === 1) return shapeOf(members[0]);
      if (members.every((m) => m.flags & ts.TypeFlags.BooleanLiteral)) return { t: 'boolean' };
      if (members.every((m) => m.isStringLiteral() || m.isNumberLiteral())) {
        const sorted = [...members].sort((a, b) => String((a as ts.LiteralType).value).localeCompare(String((b as ts.LiteralType).value)));
        const values = sorted.map((m) => (m as ts.LiteralType).value as string | number);
        const enumSym = checker.getBaseTypeOfLiteralType(members[0]).getSymbol();
        if (!enumSym || !(enumSym.flags & ts.SymbolFlags.Enum)) return { t: 'enum', values };
        // TypeScript enums: the member names are what callers write (`VllmLogLevel.DEBUG`)
        return { t: 'enum', n: enumSym.getName(), values, names: sorted.map((m) => m.getSymbol()?.getName() ?? '') };
      }
      return { t: 'union', of: members.map(shapeOf) };
    }
    if (type.isStringLiteral() || type.isNumberLiteral()) return { t: 'enum', values: [type.value as string | number] };
    if (type.flags & ts.TypeFlags.StringLike) return { t: 'string' };
    if (type.flags & ts.TypeFlags.NumberLike) return { t: 'number' };
    if (type.flags & ts.TypeFlags.BooleanLike) return { t: 'boolean' };
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const [el] = checker.getTypeArguments(type as ts.TypeReference);
      return { t: 'array', of: el ? shapeOf(el) : { t: 'any' } };
    }
    if (type.getCallSignatures().length > 0) return { t: 'any' };
    const sym = type.aliasSymbol && !type.getSymbol() ? type.aliasSymbol : type.getSymbol();
    const file = declFile(sym);
    const name = sym?.getName() ?? '';
    if (file && /[\\/]node_modules[\\/]cdk8s[\\/]/.test(file.fileName) && (name === 'Duration' || name === 'Size')) {
      return { t: name };
    }
    if (sym && sym.flags & ts.SymbolFlags.Class) return { t: 'class', n: name };
    if (sym && sym.flags & ts.SymbolFlags.Interface && file) {
      // Behavioural interfaces (jsii's `IName`) are implemented by classes; only their object-ness is checked.
      if (!isLibrarySource(file) || /^I[A-Z]/.test(name) || !isDataInterface(type)) return { t: 'object', n: name };
      if (!structs.has(name)) {
        structs.set(name, []);
        pending.push([name, type]);
      }
      return { t: 'struct', n: name };
    }
    const idx = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (idx) return { t: 'map', of: shapeOf(idx.type) };
    return { t: 'object', n: name || 'object' };
  }

  function fieldsOf(type: ts.Type): Field[] {
    return checker.getPropertiesOfType(type)
      .filter((p) => !p.getName().startsWith('_'))
      .map((p) => {
        const decl = p.valueDeclaration ?? p.declarations![0];
        return {
          name: p.getName(),
          optional: (p.flags & ts.SymbolFlags.Optional) !== 0,
          shape: shapeOf(checker.getTypeOfSymbolAtLocation(p, decl)),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  function paramsOf(sig: ts.Signature): Field[] {
    return sig.getParameters().map((p) => {
      const decl = p.valueDeclaration as ts.ParameterDeclaration;
      return {
        name: p.getName(),
        optional: !!(decl.questionToken || decl.initializer || decl.dotDotDotToken),
        shape: shapeOf(checker.getTypeOfSymbolAtLocation(p, decl)),
      };
    });
  }

  const isPublic = (d: ts.Declaration): boolean => {
    const mods = ts.getCombinedModifierFlags(d);
    return !(mods & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
  };

  const exported = checker.getExportsOfModule(moduleSym)
    .map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s))
    .sort((a, b) => a.getName().localeCompare(b.getName()));
  for (const sym of exported) {
    const decl = sym.declarations?.[0];
    if (!decl) continue;
    if (sym.flags & ts.SymbolFlags.Interface) {
      const type = checker.getDeclaredTypeOfSymbol(sym);
      if (!/^I[A-Z]/.test(sym.getName()) && isDataInterface(type)) {
        shapeOf(type);
        exportedStructs.push(sym.getName());
      }
    } else if (sym.flags & ts.SymbolFlags.Class && ts.isClassDeclaration(decl)) {
      const cls = sym.getName();
      for (const member of decl.members) {
        if (ts.isConstructorDeclaration(member) && member.body && isPublic(member)) {
          const sig = checker.getSignatureFromDeclaration(member);
          if (sig && sig.getParameters().length > 0) args.set(`${cls}.constructor`, paramsOf(sig));
        } else if (ts.isMethodDeclaration(member) && isPublic(member) && ts.getCombinedModifierFlags(member) & ts.ModifierFlags.Static) {
          const name = member.name.getText();
          if (name.startsWith('_')) continue;
          const sig = checker.getSignatureFromDeclaration(member);
          if (sig && sig.getParameters().length > 0) args.set(`${cls}.${name}`, paramsOf(sig));
        } else if (ts.isMethodDeclaration(member) && isPublic(member) && member.body
          && member.body.getText().includes(`checkArgs('${cls}.${member.name.getText()}', arguments`)) {
          // an instance method that checks its arguments opts in by calling checkArgs under its own name
          const sig = checker.getSignatureFromDeclaration(member);
          if (sig && sig.getParameters().length > 0) args.set(`${cls}.${member.name.getText()}`, paramsOf(sig));
        }
      }
    }
  }
  while (pending.length > 0) {
    const [name, type] = pending.shift()!;
    structs.set(name, fieldsOf(type));
  }

  const fieldTable = (fields: Field[]) =>
    fields.map((f) => `    [${JSON.stringify(f.name)}, ${f.optional}, ${JSON.stringify(f.shape)}],`).join('\n');
  const sortedStructs = [...structs.keys()].sort();
  const sortedArgs = [...args.keys()].sort();
  return [
    '// Generated by scripts/prop-shapes.ts (npm run import) from the public API in src/index.ts. Do not edit.',
    '/* eslint-disable */',
    '',
    '/** One field or parameter: name, optional, shape. */',
    'export type ShapeRow = readonly [string, boolean, any];',
    '',
    '/** Every struct reachable from the public API: its fields (inherited ones included). */',
    'export const STRUCT_SHAPES: Record<string, readonly ShapeRow[]> = {',
    ...sortedStructs.map((n) => `  ${JSON.stringify(n)}: [\n${fieldTable(structs.get(n)!)}\n  ],`),
    '};',
    '',
    '/** The structs exported from src/index.ts. */',
    `export const EXPORTED_STRUCTS: readonly string[] = ${JSON.stringify(exportedStructs.sort())};`,
    '',
    '/** Parameters of public constructors (`Class.constructor`) and static factories (`Class.method`). */',
    'export const ARG_SHAPES: Record<string, readonly ShapeRow[]> = {',
    ...sortedArgs.map((n) => `  ${JSON.stringify(n)}: [\n${fieldTable(args.get(n)!)}\n  ],`),
    '};',
    '',
  ].join('\n');
}

if (require.main === module) {
  fs.writeFileSync(path.join(importsDir, 'prop-shapes.ts'), generatePropShapes());
  console.log('generated src/imports/prop-shapes.ts');
}
