import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-llm-d',
  description:
    'Typed cdk8s constructs that synthesize llm-d / KServe-style LLM serving on Kubernetes (vLLM, P/D disaggregation, EPP, InferencePool, LeaderWorkerSet) without an operator.',
  author: 'cdk8s-llm-d maintainers',
  authorAddress: 'maintainers@cdk8s-llm-d.invalid',
  repositoryUrl: 'https://example.invalid/cdk8s-llm-d.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  keywords: ['cdk8s', 'kubernetes', 'llm', 'vllm', 'llm-d', 'kserve', 'inference', 'gateway-api'],

  // cdk8s/constructs must be passed explicitly: the projen default (1.4.10) fails to install.
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',
  // TypeScript 7 is excluded by ts-jest, @pulumi/pulumi and typescript-eslint.
  typescriptVersion: '~6.0.3',
  minNodeVersion: '20.16.0',

  // Language targets follow cdk8s conventions (cdk8s-plus: cdk8s_plus_28, org.cdk8s.plus28, Org.Cdk8s.Plus28).
  // Only the JS package can be built on machines without PyPI/Maven/Go/.NET; CI generates the other languages'
  // code with `jsii-pacmak --code-only` as a smoke test.
  publishToPypi: { distName: 'cdk8s-llm-d', module: 'cdk8s_llm_d' },
  publishToMaven: { javaPackage: 'org.cdk8s.llmd', mavenGroupId: 'org.cdk8s', mavenArtifactId: 'cdk8s-llm-d' },
  publishToNuget: { dotNetNamespace: 'Org.Cdk8s.LlmD', packageId: 'Org.Cdk8s.LlmD' },
  publishToGo: { moduleName: 'github.com/cdk8s-llm-d/cdk8s-llm-d-go', packageName: 'cdk8sllmd' },

  github: false,
  release: false,
  depsUpgrade: false,
  docgen: true,

  // Run-time dependencies must be bundled for jsii: the CLI (src/cli, outside the jsii API) needs commander and
  // yaml; the synth-time validation (src/validation) needs ajv, ajv-formats and the CEL evaluator.
  bundledDeps: ['commander@14.0.2', 'yaml@2.9.1', 'ajv@8.20.0', 'ajv-formats@3.0.1', '@bufbuild/cel@0.6.1', '@bufbuild/protobuf@2.17.0'],
  bin: { 'cdk8s-llm-d': 'bin/cdk8s-llm-d' },

  devDeps: [
    'cdk8s-cli@2.207.60',
    'cdk8s-plus-28@2.5.6',
    'fast-check@4.3.0',
    '@swc/core@1.16.22',
    '@swc/jest@0.2.39',
    // `npm run bench` measures it as a runner of TypeScript cdk8s apps (README: Use from TypeScript).
    'tsx@4.23.15',
    // bundles the synth-time validation runtime (scripts/validation-runtime.ts)
    'esbuild@0.28.2',
    '@kubernetes-models/istio@2.3.0',
    '@kubernetes-models/gke@4.6.2',
    '@kubernetes-models/keda@0.4.2',
    '@kubernetes-models/prometheus-operator@4.4.4',
  ],

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      transform: { '^.+\\.[t]sx?$': new javascript.Transform('@swc/jest') },
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
    },
  },
  tsconfigDev: {
    include: ['../examples/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts'],
    compilerOptions: {},
  },
});

project.eslint?.addIgnorePattern('src/imports/');
// The Pulumi adapter (plain tsc, not jsii) lives in an npm workspace beside the library.
project.package.addField('workspaces', ['packages/*']);
project.gitignore.exclude('/dist/', '/dist-pacmak/', '/cdk8s.out/', '*.log');
// API.md (the API reference the README links to) ships in the package.
for (const p of ['/imports/', '/scripts/', '/examples/', '/bench/', '/packages/', '/.ci/', '/dist/', '/dist-pacmak/', '*.log']) {
  project.addPackageIgnore(p);
}

// Offline code generation from the vendored inputs in imports/ (see imports/README.md).
project.addTask('import', {
  description: 'Generate src/imports/ from the pinned inputs in imports/ (offline)',
  exec: 'ts-node --swc -P test/tsconfig.json scripts/import.ts',
});
// The run-time shapes of the public props and factory parameters (checked for JavaScript and jsii callers).
project.tasks.tryFind('import')?.exec('ts-node --swc -P test/tsconfig.json scripts/prop-shapes.ts');

const tsNode = 'ts-node --swc -P test/tsconfig.json';
project.addTask('synth', {
  description: "Synthesize the default example's manifests into dist/",
  exec: `${tsNode} scripts/synth-examples.ts --default dist`,
});
project.addTask('synth:examples', {
  description: 'Synthesize every example under examples/<name>/ into dist/examples/<name>/',
  exec: `${tsNode} scripts/synth-examples.ts`,
});
// The property tests at nightly scale: every property runs LLMD_PROPERTY_RUNS cases (2000 unless set), eight properties
// that synthesize and validate, so 16 000 synthesized cases across LlmService, PrefillDecodePair, MultiNodeGroup and
// the KServe translation,
// with a fresh seed each run (a failure prints the LLMD_PROPERTY_SEED that reproduces it).
project.addTask('test:properties:nightly', {
  description: 'Property tests at nightly scale (>= 10 000 cases across the patterns; LLMD_PROPERTY_RUNS per property, LLMD_PROPERTY_SEED to reproduce)',
  exec: "sh -c 'LLMD_PROPERTY_RUNS=${LLMD_PROPERTY_RUNS:-2000} exec jest --coverage=false --ci --testTimeout=7200000 test/properties.test.ts test/patterns-properties.test.ts test/determinism.test.ts test/bad-input-campaign.test.ts'",
});
// The published declarations leave out what is marked @internal (jsii keeps it): the public surface then no longer
// reaches the generated Kubernetes and Gateway API types (lib/imports/k8s.d.ts alone is 1.2 MB), which a user's
// type-checked `ts-node` would otherwise parse and check on every synth.
project.compileTask.exec('tsc -p tsconfig.json --emitDeclarationOnly --stripInternal --noCheck');
// Synth-time validation loads the schema validators compiled ahead of time, one module per kind, and the CEL rules
// parsed ahead of time (lib/validation/precompiled/) instead of compiling and parsing them in every process; the CLI
// reads the KServe CRDs parsed ahead of time (lib/cli/kserve-crds.json) instead of parsing 5 MB of YAML per run.
project.compileTask.exec(`${tsNode} scripts/precompile-validators.ts`);
// ... and the validator with the CEL evaluator as one file (lib/validation/runtime.js, esbuild), not ~130 modules.
project.compileTask.exec(`${tsNode} scripts/validation-runtime.ts`);
// Every process that loads the library reads lib/: without inline source maps (generated code: none; the rest: beside
// each file, as x.js.map).
project.compileTask.exec(`${tsNode} scripts/external-source-maps.ts`);
// The benchmark measures the compiled library (what users run), so it compiles first.
const bench = project.addTask('bench', {
  description: 'Benchmark synthesis: whole-process P/D stack per TypeScript runner and 1/100/1000 stacks of every pattern, as ratios to a Node + cdk8s floor',
});
bench.spawn(project.compileTask);
bench.exec(`${tsNode} bench/synth.bench.ts`);

// Node 20 is past its end of life but still the minimum supported release: jsii's banner is silenced in every
// task, as CI does.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
// `npx projen build` works offline: the JS package is built, the other languages' code is generated (building them
// needs PyPI, Maven, Go and NuGet); `package:python` and the like remain for machines that have those toolchains.
const packageAll = project.tasks.tryFind('package-all');
packageAll?.reset();
packageAll?.spawn(project.tasks.tryFind('package:js')!);
packageAll?.exec('jsii-pacmak --code-only --targets python,java,go,dotnet -o dist-pacmak');

// Type-check the tests (swc only transpiles).
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');
// The Pulumi adapter's type-checks and mock tests are part of `npm test`.
project.testTask.exec('npm run typecheck --workspace cdk8s-llm-d-pulumi');
project.testTask.exec('npm run typecheck:example --workspace cdk8s-llm-d-pulumi');
project.testTask.exec('npm test --workspace cdk8s-llm-d-pulumi -- --ci');

project.synth();
