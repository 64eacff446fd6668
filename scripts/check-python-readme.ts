/**
 * Checks that the README's Python snippet matches the Python API that jsii-pacmak generates:
 * every class it uses exists, every static method it calls exists, and every keyword argument is a parameter
 * of the generated code. Usage: ts-node scripts/check-python-readme.ts <pacmak python output dir>
 */
import * as fs from 'fs';
import * as path from 'path';

const outDir = process.argv[2];
const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const snippet = /```python\n([\s\S]*?)```/.exec(readme)?.[1];
if (!snippet) throw new Error('README.md has no ```python snippet');
const generated = fs.readFileSync(path.join(outDir, 'src', 'cdk8s_llm_d', '__init__.py'), 'utf8');

const imported = new Set((/from cdk8s_llm_d import ([^\n]+)/.exec(snippet)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const problems: string[] = [];
for (const cls of imported) if (!new RegExp(`^class ${cls}\\b`, 'm').test(generated)) problems.push(`class ${cls} is not in the generated Python module`);
for (const m of snippet.matchAll(/\b([A-Z][A-Za-z0-9]*)\.([a-z_][a-z0-9_]*)\(/g)) {
  if (imported.has(m[1]) && !new RegExp(`def ${m[2]}\\(`).test(generated)) problems.push(`${m[1]}.${m[2]}() does not exist`);
}
for (const m of snippet.matchAll(/\b([a-z_][a-z0-9_]*)=/g)) {
  if (!new RegExp(`\\b${m[1]}: `).test(generated)) problems.push(`keyword argument ${m[1]}= is not a parameter of the generated API`);
}
if (imported.size === 0) problems.push('the snippet imports nothing from cdk8s_llm_d');
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`README Python snippet matches the generated API (${imported.size} classes checked)`);
