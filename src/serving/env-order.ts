import { FieldContext } from '../internal/context';

/** `$(NAME)` references Kubernetes expands in env values (`$$(NAME)` is an escaped literal). */
const REFERENCE = /\$(\$)?\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g;

/**
 * Names of the variables a value references with `$(NAME)`, without escaped `$$(NAME)` literals.
 * @internal
 */
export function envReferences(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(REFERENCE)) if (!m[1]) out.push(m[2]);
  return out;
}

/**
 * The canonical order of user env: sorted by name, except that a variable referenced as `$(NAME)` by another comes
 * before it (Kubernetes expands references only to entries earlier in the list). The result does not depend on the
 * insertion order of `env`. References to names outside `env` are left alone (the library's variables precede the
 * user's). A cycle, or a variable referring to itself, is rejected: Kubernetes would leave the `$(NAME)` text
 * unexpanded.
 * @internal
 */
export function canonicalEnvOrder(ctx: FieldContext, field: string, env: Record<string, string>): [string, string][] {
  const names = Object.keys(env).sort();
  const deps = new Map<string, Set<string>>();
  for (const n of names) deps.set(n, new Set(envReferences(env[n]).filter((r) => r in env)));
  for (const n of names) {
    if (deps.get(n)!.has(n)) {
      throw ctx.error(`${field}["${n}"]`, env[n], `refers to itself with $(${n}), which Kubernetes leaves unexpanded`,
        `remove the reference, or escape it as $$(${n}) for a literal`);
    }
  }
  const placed = new Set<string>();
  const out: [string, string][] = [];
  while (out.length < names.length) {
    const next = names.find((n) => !placed.has(n) && [...deps.get(n)!].every((d) => placed.has(d)));
    if (next === undefined) {
      const cycle = findCycle(names.filter((n) => !placed.has(n)), deps);
      throw ctx.error(`${field}["${cycle[0]}"]`, env[cycle[0]], `is part of a $(VAR) reference cycle (${[...cycle, cycle[0]].join(' -> ')}); Kubernetes expands only references to earlier variables, so one of them would stay unexpanded`,
        'break the cycle: let at most one of these variables refer to the others');
    }
    placed.add(next);
    out.push([next, env[next]]);
  }
  return out;
}

function findCycle(pending: string[], deps: Map<string, Set<string>>): string[] {
  const path: string[] = [];
  let at = pending[0];
  while (!path.includes(at)) {
    path.push(at);
    at = [...deps.get(at)!].sort().find((d) => pending.includes(d))!;
  }
  return path.slice(path.indexOf(at));
}
