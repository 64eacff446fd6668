/**
 * The wiring contract is complete: every port number, port name, label key, object-name suffix and image
 * reference lives in `src/wiring/*` or `src/versions.ts`. This test reads every other source file with the
 * TypeScript parser (so comments and TSDoc are never findings) and fails on each wiring literal it finds,
 * printed as `file:line: literal`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { Ports } from '../src/wiring/ports';

const SRC = path.join(__dirname, '..', 'src');

/** Files and folders that are the contract itself, or generated. */
const CONTRACT = ['wiring/', 'versions.ts', 'imports/'];

/**
 * Documented exceptions: `file` + the literal, each with the reason it is not wiring.
 * Keep this list short; a new entry needs a reason a reviewer accepts.
 */
const EXCEPTIONS: ReadonlyArray<{ file: string; literal: string; reason: string }> = [];

/** Ports of the contract (every numeric `Ports` value that is a port) and ports of the components the library wires. */
const KNOWN_PORTS = new Set<number>([
  ...Object.entries(Ports).filter(([k, v]) => typeof v === 'number' && k !== 'MAX_POOL_TARGET_PORTS').map(([, v]) => v as number),
  5555, 5556, 5557, 5600, 6379, 8000, 8001, 8081, 8200, 9002, 9003, 9090, 19000, 19001,
]);
/** Port numbers that read as ports only in a port field (80 is too common a number to match in text). */
const TEXT_PORTS = [...KNOWN_PORTS].filter((p) => p >= 1024);
const PORT_FIELDS = new Set(['port', 'containerPort', 'targetPort', 'number', 'targetPortNumber']);
/** Names of container and Service ports. */
const PORT_NAMES = new Set<string>([
  ...Object.entries(Ports).filter(([k, v]) => k.endsWith('_NAME') && typeof v === 'string').map(([, v]) => v as string),
  'http', 'https', 'metrics', 'grpc', 'grpc-health', 'zmq', 'vllm', 'nixl', 'kv-events', 'supervisor', 'ready', 'admin',
]);
/** Fields of a container security context: the one restricted profile lives in `src/wiring/security.ts`. */
const SECURITY_FIELDS = new Set(['runAsNonRoot', 'allowPrivilegeEscalation', 'seccompProfile']);
const LABEL_PREFIXES = ['llm-d.ai/', 'app.kubernetes.io/', 'kserve.io/', 'leaderworkerset.sigs.k8s.io/', 'k8s.v1.cni.cncf.io/'];
const IMAGE_MARKERS = ['ghcr.io/', 'registry.', 'docker.io', 'quay.io', 'vllm/vllm-openai', 'vllm/vllm-tpu', 'kserve/storage-initializer', 'envoyproxy/'];
const NAME_SUFFIX = /^-(kserve|inference-pool|epp|router|tokenizer|workload|route|mn(-|$)|rb$|role$|prefill$|sa$)/;

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly literal: string;
  readonly rule: string;
}

/** Every wiring literal of one source text. Exported for the scanner's own test below. */
export function scanSource(file: string, text: string): Finding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Finding[] = [];
  const add = (node: ts.Node, literal: string, rule: string) => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    out.push({ file, line, literal, rule });
  };
  const textPort = new RegExp(`(?<![\\d.])(${TEXT_PORTS.join('|')})(?!\\d)`);

  const visit = (node: ts.Node): void => {
    if (ts.isNumericLiteral(node)) {
      const value = Number(node.text);
      const parent = node.parent;
      const field = parent && ts.isPropertyAssignment(parent) && parent.initializer === node ? parent.name.getText(sf) : undefined;
      if (KNOWN_PORTS.has(value) && (value >= 1024 || (field !== undefined && PORT_FIELDS.has(field)))) add(node, node.text, 'port number');
      else if (field !== undefined && PORT_FIELDS.has(field)) add(node, node.text, 'port number in a port field');
    }
    const str = stringText(node);
    if (str !== undefined) {
      const portInText = textPort.exec(str);
      if (portInText) add(node, quote(str), `port ${portInText[1]} in text`);
      const label = LABEL_PREFIXES.find((p) => str.includes(p));
      if (label) add(node, quote(str), `label/annotation key or API group (${label})`);
      const image = IMAGE_MARKERS.find((m) => str.includes(m));
      if (image) add(node, quote(str), `image reference (${image})`);
      const whole = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
      const startsAfterValue = whole || ts.isTemplateMiddle(node) || ts.isTemplateTail(node);
      if (startsAfterValue && NAME_SUFFIX.test(str)) {
        add(node, quote(str), 'object-name suffix');
      }
      if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && isPortNameContext(node, sf)) {
        add(node, quote(str), 'port name');
      }
    }
    if (ts.isPropertyAssignment(node) && SECURITY_FIELDS.has(node.name.getText(sf))) add(node, node.name.getText(sf), 'security context field');
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function stringText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) return node.text;
  return undefined;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);
}

/**
 * A port name: the `name` of an object with a port field, a string in a port field, an `IntOrString.fromString`
 * argument, or one of the known port names compared with `x.name`.
 */
function isPortNameContext(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral, sf: ts.SourceFile): boolean {
  const parent = node.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    const field = parent.name.getText(sf);
    if (PORT_FIELDS.has(field)) return true;
    if (field === 'name' && ts.isObjectLiteralExpression(parent.parent)) {
      return parent.parent.properties.some((p) => p.name !== undefined && PORT_FIELDS.has(p.name.getText(sf)));
    }
  }
  if (ts.isCallExpression(parent) && parent.expression.getText(sf).endsWith('IntOrString.fromString')) return true;
  const equality = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken];
  if (ts.isBinaryExpression(parent) && equality.includes(parent.operatorToken.kind)) {
    const other = parent.left === node ? parent.right : parent.left;
    return PORT_NAMES.has(node.text) && ts.isPropertyAccessExpression(other) && other.name.text === 'name';
  }
  return false;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

function scanRepository(): Finding[] {
  return sourceFiles(SRC)
    .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
    .filter((rel) => !CONTRACT.some((c) => rel === c || rel.startsWith(c)))
    .sort()
    .flatMap((rel) => scanSource(`src/${rel}`, fs.readFileSync(path.join(SRC, rel), 'utf8')))
    .filter((f) => !EXCEPTIONS.some((e) => e.file === f.file && JSON.stringify(e.literal) === f.literal));
}

describe('the scanner', () => {
  const sample = [
    '// port 8000 and \'http\' and `-kserve` in a comment are not findings',
    '/** TSDoc: ghcr.io/llm-d/x:v1, app.kubernetes.io/name, 5556 */',
    'const a = 8000;',
    "const b = { name: 'http', containerPort: a };",
    'const c = `${n}-inference-pool`;',
    "const d = 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0';",
    "const e = { 'llm-d.ai/role': 'decode' };",
    "const f = 'use another port, e.g. 5556';",
    "const g = k8s.IntOrString.fromString('metrics');",
    "const h = { name: 'http', port: 80, protocol: 'HTTP' };",
    "const i = p.name === 'grpc';",
    "const j = { name: 'home', mountPath: '/home' }; const k = 8; const l = 'http';",
    "const m = { name: 'proxy-ready', containerPort: P.X };",
    'const n = { runAsNonRoot: true };',
  ].join('\n');
  const found = scanSource('sample.ts', sample).map((f) => `${f.line}: ${f.literal}`);

  test('finds each kind of wiring literal in code', () => {
    expect(found).toEqual([
      '3: 8000',
      '4: "http"',
      '5: "-inference-pool"',
      '6: "ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0"',
      '7: "llm-d.ai/role"',
      '8: "use another port, e.g. 5556"',
      '9: "metrics"',
      '10: "http"',
      '10: 80',
      '11: "grpc"',
      '13: "proxy-ready"',
      '14: runAsNonRoot',
    ]);
  });

  test('ignores comments, TSDoc and non-wiring values', () => {
    expect(found.filter((f) => f.startsWith('1:') || f.startsWith('2:') || f.startsWith('12:'))).toEqual([]);
  });
});

test('no wiring literal outside src/wiring, src/versions.ts and src/imports', () => {
  const findings = scanRepository().map((f) => `${f.file}:${f.line}: ${f.literal}  (${f.rule})`);
  if (findings.length) console.log(`wiring literals outside the contract:\n${findings.join('\n')}`);
  expect(findings).toEqual([]);
});

test('every documented exception still matches a literal (stale exceptions are removed)', () => {
  const all = sourceFiles(SRC)
    .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
    .filter((rel) => !CONTRACT.some((c) => rel === c || rel.startsWith(c)))
    .flatMap((rel) => scanSource(`src/${rel}`, fs.readFileSync(path.join(SRC, rel), 'utf8')));
  for (const e of EXCEPTIONS) {
    expect(all.some((f) => f.file === e.file && f.literal === JSON.stringify(e.literal))).toBe(true);
  }
});
