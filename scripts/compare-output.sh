#!/usr/bin/env bash
# Writes everything the library emits into one directory, so that two trees can be compared with `diff -r`:
# every example (`npm run synth:examples`) and `cdk8s-llm-d render` of every KServe sample holding an
# LLMInferenceService (with its exit code and stderr, so rejected samples are compared too).
#
#   scripts/compare-output.sh /tmp/before   # before a change
#   scripts/compare-output.sh /tmp/after    # after it
#   diff -r /tmp/before /tmp/after
#
# Set SKIP_COMPILE=1 when lib/ is already compiled from the current sources.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "${1:?usage: scripts/compare-output.sh <outdir>}"
out=$(cd "$1" && pwd)
cd "$root"
rm -rf "$out"
mkdir -p "$out/examples" "$out/samples"
[ -n "${SKIP_COMPILE:-}" ] || npx projen compile >/dev/null
npx projen synth:examples >/dev/null
cp -r dist/examples/. "$out/examples/"
for f in imports/reference/kserve/samples/*.yaml; do
  grep -q '^kind: LLMInferenceService$' "$f" || continue
  name=$(basename "$f" .yaml)
  dir="$out/samples/$name"
  mkdir -p "$dir"
  for flags in "" "--allow-unknown-flags"; do
    rc=0
    # shellcheck disable=SC2086
    (cd "$out" && node "$root/lib/cli/main.js" render "$root/$f" -o "samples/$name/out$flags" $flags) >"$dir/stdout$flags" 2>"$dir/stderr$flags" || rc=$?
    echo "$rc" >"$dir/rc$flags"
  done
done
# The whole folder at once: LLMInferenceServiceConfig documents resolve the baseRefs.
rc=0
(cd "$out" && node "$root/lib/cli/main.js" render "$root/imports/reference/kserve/samples" -o all --allow-unknown-flags) >"$out/all.stdout" 2>"$out/all.stderr" || rc=$?
echo "$rc" >"$out/all.rc"
echo "wrote $out"
