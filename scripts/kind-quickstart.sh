#!/usr/bin/env bash
# The real request path on a laptop, no GPU: a kind cluster, the pinned InferencePool and llm-d.ai CRDs, one of the
# simulator examples (Endpoint Picker + standalone Envoy + vLLM simulator pods), then a completion through the EPP.
#
#   scripts/kind-quickstart.sh                      # examples/pd-simulated: prefill/decode with the routing sidecar
#   EXAMPLE=standalone scripts/kind-quickstart.sh   # examples/standalone: three aggregated replicas
#   scripts/kind-quickstart.sh --delete             # remove the kind cluster
#
# Needs kind, kubectl, curl, Node >= 20.16 and npm (for the synthesis) on PATH.
set -euo pipefail

CLUSTER="${CLUSTER:-cdk8s-llm-d}"
EXAMPLE="${EXAMPLE:-pd-simulated}"
LOCAL_PORT="${LOCAL_PORT:-8080}"
MODEL="Qwen/Qwen3-0.6B"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# What each example creates: its Namespace and the EPP Service whose port 80 is the standalone Envoy.
case "$EXAMPLE" in
  pd-simulated) NAMESPACE=llm-sim SERVICE=sim-pd-epp-service ;;
  standalone) NAMESPACE=llm-standalone SERVICE=qwen-epp-service ;;
  *) echo "EXAMPLE must be pd-simulated or standalone (got $EXAMPLE)" >&2; exit 2 ;;
esac

if [ "${1:-}" = "--delete" ]; then
  kind delete cluster --name "$CLUSTER"
  exit 0
fi

for tool in kind kubectl curl npm; do
  command -v "$tool" >/dev/null || { echo "$tool is not on PATH" >&2; exit 2; }
done

cd "$ROOT"
[ -d node_modules ] || npm ci
npm run --silent synth:examples >/dev/null

if ! kind get clusters | grep -qx "$CLUSTER"; then
  kind create cluster --name "$CLUSTER"
fi
kubectl config use-context "kind-$CLUSTER"

# The CRDs the example's objects use (`cdk8s-llm-d plan dist/examples/$EXAMPLE` lists them), pinned in assets/crds/.
kubectl apply --server-side -f assets/crds/gateway-api-inference-extension/inference.networking.k8s.io_inferencepools.yaml
kubectl apply --server-side -f assets/crds/llm-d-router/llm-d.ai_inferenceobjectives.yaml
kubectl apply --server-side -f assets/crds/llm-d-router/llm-d.ai_inferencemodelrewrites.yaml
kubectl wait --for condition=established --timeout=60s crd/inferencepools.inference.networking.k8s.io

# The example's file starts with its Namespace, so one apply creates everything.
kubectl apply -f "dist/examples/$EXAMPLE/"
kubectl -n "$NAMESPACE" wait --for condition=available --timeout=300s deployment --all

kubectl -n "$NAMESPACE" port-forward "svc/$SERVICE" "$LOCAL_PORT:80" >/dev/null &
FORWARD=$!
trap 'kill "$FORWARD" 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do
  curl -s -o /dev/null "localhost:$LOCAL_PORT/" && break   # any HTTP answer: the forward is up
  sleep 1
done

# Envoy asks the EPP which pod serves the request (ext_proc), then forwards it there.
curl -fsS "localhost:$LOCAL_PORT/v1/completions" -H 'content-type: application/json' \
  -d "{\"model\":\"$MODEL\",\"prompt\":\"Kubernetes is\",\"max_tokens\":16}"
echo
echo "The stack keeps running: kubectl -n $NAMESPACE port-forward svc/$SERVICE $LOCAL_PORT:80"
echo "Remove it with: scripts/kind-quickstart.sh --delete"
