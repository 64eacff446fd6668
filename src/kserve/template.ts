import { FieldContext } from '../internal/context';
import { ResourceNames } from '../wiring/names';

/** The data a KServe template string is rendered with (`kserve-llmisvc.md` §2.3 step 3). @internal */
export interface TemplateData {
  readonly ObjectMeta: Record<string, any>;
  readonly Spec: Record<string, any>;
  readonly GlobalConfig: Record<string, any>;
}

const ACTION = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;

/**
 * Render the subset of Go `text/template` the KServe presets and samples use in spec strings: field paths
 * (`.ObjectMeta.Name`, `.Spec.Model.Name`, `.GlobalConfig.*`, promoted `.Name`/`.Namespace`) and the function
 * `ChildName <a> <b>`. Like the controller (`missingkey=error`), a path that does not resolve is an error;
 * other actions (`if`, `range`, pipelines) are rejected with the path of the string.
 * @internal
 */
export function renderTemplateString(ctx: FieldContext, field: string, text: string, data: TemplateData): string {
  if (!text.includes('{{')) return text;
  if (text.replace(ACTION, '').includes('{{')) {
    throw ctx.error(field, text, 'has a template action {{ without its closing }} (Go text/template: unclosed action)', 'close the action, e.g. {{ .Spec.Model.Name }}');
  }
  return text.replace(ACTION, (_m, _l: string, body: string) => String(evaluate(ctx, field, body.trim(), data, text)));
}

/** Render every string in a JSON value. @internal */
export function renderTemplates(ctx: FieldContext, field: string, value: any, data: TemplateData): any {
  if (typeof value === 'string') return renderTemplateString(ctx, field, value, data);
  if (Array.isArray(value)) return value.map((v, i) => renderTemplates(ctx, `${field}[${i}]`, v, data));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderTemplates(ctx, field ? `${field}.${k}` : k, v, data);
    return out;
  }
  return value;
}

function evaluate(ctx: FieldContext, field: string, body: string, data: TemplateData, text: string): unknown {
  const tokens = tokenize(body);
  if (tokens.length === 0) throw ctx.error(field, text, 'has an empty template action {{ }}', 'remove it or name a field such as {{ .ObjectMeta.Name }}');
  const [head, ...rest] = tokens;
  if (head === 'ChildName') {
    if (rest.length !== 2) {
      throw ctx.error(field, text, `ChildName takes 2 arguments, got ${rest.length}`, 'write {{ ChildName .ObjectMeta.Name `-suffix` }}');
    }
    const [parent, suffix] = rest.map((t) => operand(ctx, field, t, data, text));
    return ResourceNames.childName(String(parent), String(suffix));
  }
  if (rest.length === 0) return operand(ctx, field, head, data, text);
  throw ctx.error(field, text, `uses the template action "{{ ${body} }}", which this generator does not evaluate`,
    'use only field paths (.ObjectMeta.Name, .Spec.Model.Name, .GlobalConfig.…) and ChildName, or write the value literally');
}

function operand(ctx: FieldContext, field: string, token: string, data: TemplateData, text: string): unknown {
  if (/^`[^`]*`$/.test(token)) return token.slice(1, -1);
  if (/^"(?:[^"\\]|\\.)*"$/.test(token)) return JSON.parse(token);
  if (/^-?\d+$/.test(token)) return Number(token);
  if (!token.startsWith('.')) {
    throw ctx.error(field, text, `uses "${token}", which is not a field path, a string or a known function`,
      'use .ObjectMeta.Name, .Spec.…, .GlobalConfig.… or ChildName');
  }
  const parts = token.slice(1).split('.');
  let cur: any = data;
  // `.Name` / `.Namespace` are promoted from ObjectMeta.
  if (parts.length === 1 && !(parts[0] in data)) cur = data.ObjectMeta;
  for (const [i, part] of parts.entries()) {
    const key = cur !== null && typeof cur === 'object' ? findKey(cur, part) : undefined;
    if (key === undefined) {
      const at = '.' + parts.slice(0, i + 1).join('.');
      throw ctx.error(field, text, `the template variable ${token} does not resolve (${at} is not set; KServe renders with missingkey=error)`,
        `set the field the template reads (e.g. spec.${parts.slice(1, i + 1).map(lowerFirst).join('.')}), or remove the template`);
    }
    cur = cur[key];
  }
  if (cur !== null && typeof cur === 'object') return JSON.stringify(cur);
  return cur;
}

/** Go exported field names are the JSON names with an upper-case first letter (LoRA → lora, DataRPCPort → dataRPCPort). */
function findKey(obj: Record<string, any>, goName: string): string | undefined {
  if (goName in obj) return goName;
  const lower = goName.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower && obj[k] !== undefined && obj[k] !== null);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function tokenize(body: string): string[] {
  const out: string[] = [];
  const re = /\s*(`[^`]*`|"(?:[^"\\]|\\.)*"|[^\s`"]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body)) !== null) out.push(m[1]);
  return out;
}
