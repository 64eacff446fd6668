import * as fs from 'fs';
import * as YAML from 'yaml';

/**
 * Parses multi-document YAML (a file path or the YAML text itself) and returns every
 * non-null document. Documents of `kind: List` are flattened into their `items`.
 *
 * A string is treated as a file path when it has no line break and names an existing file.
 */
export function loadYamlDocuments(fileOrText: string): any[] {
  const isFile = !fileOrText.includes('\n') && fs.existsSync(fileOrText) && fs.statSync(fileOrText).isFile();
  const text = isFile ? fs.readFileSync(fileOrText, 'utf8') : fileOrText;
  const where = isFile ? fileOrText : '<text>';
  const out: any[] = [];
  const docs = YAML.parseAllDocuments(text, { uniqueKeys: true });
  // parseAllDocuments returns an EmptyStream (array-like, no docs) for empty input
  for (const doc of Array.from(docs as Iterable<YAML.Document.Parsed>)) {
    if (doc.errors.length > 0) {
      throw new Error(`${where}: invalid YAML: ${doc.errors.map(e => e.message).join('; ')}`);
    }
    const value = doc.toJS({ maxAliasCount: 1000 });
    flattenInto(value, out);
  }
  return out;
}

function flattenInto(value: any, out: any[]): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object' && !Array.isArray(value) && value.kind === 'List' && Array.isArray(value.items)) {
    for (const item of value.items) flattenInto(item, out);
    return;
  }
  out.push(value);
}
