// Preloaded into `cdk8s import` by scripts/import.ts so that `k8s@<version>` reads the vendored
// `_definitions.json` under $CDK8S_LOCAL_SCHEMAS/v<version>/ instead of downloading it.
// It replaces cdk8s-cli's `download()` helper (lib/util.js); re-check after a cdk8s-cli upgrade.
const path = require('path');
const pkg = require.resolve('cdk8s-cli/package.json', { paths: [process.cwd()] });
const util = require(path.join(path.dirname(pkg), 'lib', 'util.js'));
const original = util.download;
util.download = async (url) => {
  const m = /kubernetes-schemas\/v([\d.]+)\/_definitions\.json$/.exec(url);
  if (m) {
    const dir = process.env.CDK8S_LOCAL_SCHEMAS;
    if (!dir) throw new Error('CDK8S_LOCAL_SCHEMAS is not set: refusing to download ' + url);
    return original(path.join(dir, 'v' + m[1], '_definitions.json'));
  }
  if (/^https?:/.test(url)) throw new Error('offline import: refusing to download ' + url);
  return original(url);
};
