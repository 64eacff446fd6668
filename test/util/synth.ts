import { App, Chart, Testing } from 'cdk8s';

/** A chart in namespace `llm` (or in none, with `null`) inside a fresh test app. */
export function testChart(namespace: string | null = 'llm'): Chart {
  const app = Testing.app();
  return new Chart(app, 'test', { namespace: namespace ?? undefined });
}

/** Synthesized objects of a chart (what `cdk8s synth` would write). */
export function synth(chart: Chart): any[] {
  return Testing.synth(chart);
}

/** The object of `kind` named `name`. */
export function find(objs: any[], kind: string, name?: string): any {
  const hit = objs.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (!hit) throw new Error(`no ${kind}${name ? ' ' + name : ''} in ${objs.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return hit;
}

/** The `main` container of a Deployment. */
export function mainContainer(deployment: any): any {
  return deployment.spec.template.spec.containers.find((c: any) => c.name === 'main');
}

export { App };
