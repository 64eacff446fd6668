/**
 * In-process Pulumi engine for tests (`pulumi.runtime.setMocks`, no CLI or plugin). Every registration is recorded
 * with what the engine would receive: type token, name, inputs, parent URN, provider reference and the explicit
 * dependencies (`dependsOn`), which the public mock API does not expose, so the mock monitor's
 * `registerResource` is wrapped.
 */
import * as pulumi from '@pulumi/pulumi';

export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: any;
  readonly parent: string;
  readonly provider: string;
  readonly dependencies: string[];
  readonly protect: boolean;
  readonly ignoreChanges: string[];
  readonly urn: string;
}

export const registrations: Registration[] = [];

export async function installMocks(): Promise<void> {
  await pulumi.runtime.setMocks({
    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    call: (args) => args.inputs,
  }, 'llm-d-test', 'test', false);
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, res: any) => void) => {
    register(req, (err: any, res: any) => {
      if (!err) {
        registrations.push({
          type: req.getType(),
          name: req.getName(),
          inputs: pulumi.runtime.deserializeProperties(req.getObject()),
          parent: req.getParent(),
          provider: req.getProvider(),
          dependencies: req.getDependenciesList(),
          protect: req.getProtect(),
          ignoreChanges: req.getIgnorechangesList(),
          urn: res.getUrn(),
        });
      }
      callback(err, res);
    });
  };
}

/** The value of an output (resolved under the mocks). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}

/** Waits until the component and all its children are registered, then returns the children's registrations. */
export async function childrenOf(
  component: { urn: pulumi.Output<string>; resources: Record<string, pulumi.CustomResource> },
): Promise<Registration[]> {
  const urn = await valueOf(component.urn);
  const childUrns = await Promise.all(Object.values(component.resources).map((r) => valueOf(r.urn)));
  const regs = registrations.filter((r) => r.parent === urn);
  expect(regs.map((r) => r.urn).sort()).toEqual([...childUrns].sort());
  return regs;
}

/** A plain copy without undefined fields (what the engine receives). */
export function plain<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

/** Waits until every pending registration has reached the (mock) engine. */
export async function settled(): Promise<void> {
  // Not in the typings, but exported by @pulumi/pulumi/runtime/settings (what `pulumi up` awaits before exit).
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}
