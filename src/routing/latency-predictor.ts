import * as k8s from '../imports/k8s';
import { Versions } from '../versions';
import { Ports } from '../wiring/ports';
import { restrictedSecurityContext } from '../wiring/security';

/** The plugin whose presence switches the latency predictor on (KServe's `appliesWhen`). @internal */
export const LATENCY_PRODUCER_PLUGIN = 'predicted-latency-producer';

const env = (m: Record<string, string>): k8s.EnvVar[] => Object.entries(m).map(([name, value]) => ({ name, value }));
/** Quantities as the preset's, in whole cores (the preset writes millicores, e.g. 2000m). */
const q = (v: string) => k8s.Quantity.fromString(v);
const probe = (path: string, port: number, o: Omit<k8s.Probe, 'httpGet'>): k8s.Probe => ({ httpGet: { path, port: k8s.IntOrString.fromNumber(port) }, ...o });

/**
 * What the EPP pod gains when its config has `predicted-latency-producer`, as KServe's
 * `kserve-config-llm-scheduler-latency-predictor` preset writes it (kserve-llmisvc.md §3.9): the EPP container's
 * predictor env, the training and prediction servers on localhost, and their emptyDir volumes.
 * @internal
 */
export function latencyPredictor(): { readonly eppEnv: k8s.EnvVar[]; readonly containers: k8s.Container[]; readonly volumes: k8s.Volume[] } {
  const training = `http://localhost:${Ports.LATENCY_TRAINING}`;
  const common = {
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'FallbackToLogsOnError',
    securityContext: restrictedSecurityContext({ readOnlyRootFilesystem: true }),
  };
  const trainingServer: k8s.Container = {
    name: 'training-server',
    image: Versions.LATENCY_TRAINING_SERVER_IMAGE,
    ports: [{ containerPort: Ports.LATENCY_TRAINING, name: Ports.LATENCY_TRAINING_NAME, protocol: 'TCP' }],
    resources: { requests: { cpu: q('2'), memory: q('4Gi') }, limits: { cpu: q('4'), memory: q('8Gi') } },
    startupProbe: probe('/healthz', Ports.LATENCY_TRAINING, { failureThreshold: 30, periodSeconds: 10 }),
    livenessProbe: probe('/healthz', Ports.LATENCY_TRAINING, { initialDelaySeconds: 30, periodSeconds: 20 }),
    readinessProbe: probe('/readyz', Ports.LATENCY_TRAINING, { initialDelaySeconds: 45, periodSeconds: 10 }),
    env: env({
      LATENCY_RETRAINING_INTERVAL_SEC: '10',
      LATENCY_MIN_SAMPLES_FOR_RETRAIN: '100',
      LATENCY_TTFT_MODEL_PATH: '/models/ttft.joblib',
      LATENCY_TPOT_MODEL_PATH: '/models/tpot.joblib',
      LATENCY_TTFT_SCALER_PATH: '/models/ttft_scaler.joblib',
      LATENCY_TPOT_SCALER_PATH: '/models/tpot_scaler.joblib',
      LATENCY_TTFT_GATED_MODEL_PATH: '/models/ttft_gated.joblib',
      LATENCY_TPOT_GATED_MODEL_PATH: '/models/tpot_gated.joblib',
      LATENCY_MODEL_TYPE: 'xgboost',
      LATENCY_MAX_TRAINING_DATA_SIZE_PER_BUCKET: '500',
      LATENCY_OBJECTIVE_TYPE: 'mean',
    }),
    volumeMounts: [{ name: 'training-server-storage', mountPath: '/models' }, { name: 'training-server-tmp', mountPath: '/tmp' }],
    ...common,
  };
  const predictionServer: k8s.Container = {
    name: 'prediction-server',
    image: Versions.LATENCY_PREDICTION_SERVER_IMAGE,
    ports: [{ containerPort: Ports.LATENCY_PREDICTION, name: Ports.LATENCY_PREDICTION_NAME, protocol: 'TCP' }],
    resources: { requests: { cpu: q('8'), memory: q('4Gi') }, limits: { cpu: q('28'), memory: q('8Gi') } },
    startupProbe: probe('/readyz', Ports.LATENCY_PREDICTION, { failureThreshold: 60, periodSeconds: 10 }),
    livenessProbe: probe('/healthz', Ports.LATENCY_PREDICTION, { initialDelaySeconds: 15, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 5 }),
    readinessProbe: probe('/readyz', Ports.LATENCY_PREDICTION, { initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 }),
    env: env({
      TRAINING_SERVER_URL: training,
      LATENCY_MODEL_TYPE: 'xgboost',
      PREDICT_HOST: '0.0.0.0',
      PREDICT_PORT: String(Ports.LATENCY_PREDICTION),
      LOCAL_TTFT_MODEL_PATH: '/server_models/ttft.joblib',
      LOCAL_TPOT_MODEL_PATH: '/server_models/tpot.joblib',
      LOCAL_TTFT_SCALER_PATH: '/server_models/ttft_scaler.joblib',
      LOCAL_TPOT_SCALER_PATH: '/server_models/tpot_scaler.joblib',
      LOCAL_TTFT_GATED_MODEL_PATH: '/server_models/ttft_gated.joblib',
      LOCAL_TPOT_GATED_MODEL_PATH: '/server_models/tpot_gated.joblib',
      UVICORN_WORKERS: '28',
      OMP_NUM_THREADS: '1',
      MODEL_SYNC_INTERVAL_SEC: '30',
      LATENCY_OBJECTIVE_TYPE: 'mean',
    }),
    volumeMounts: [{ name: 'prediction-server-storage', mountPath: '/server_models' }, { name: 'prediction-server-tmp', mountPath: '/tmp' }],
    ...common,
  };
  return {
    eppEnv: env({
      PREDICTION_SERVER_URL: `http://localhost:${Ports.LATENCY_PREDICTION}`,
      TRAINING_SERVER_URL: training,
      LATENCY_MAX_SAMPLE_SIZE: '10000',
      LATENCY_MAX_CONCURRENT_DISPATCHES: '36',
      LATENCY_COALESCE_WINDOW_MS: '1',
    }),
    containers: [trainingServer, predictionServer],
    volumes: [
      { name: 'training-server-storage', emptyDir: { sizeLimit: q('20Gi') } },
      { name: 'prediction-server-storage', emptyDir: { sizeLimit: q('10Gi') } },
      { name: 'training-server-tmp', emptyDir: {} },
      { name: 'prediction-server-tmp', emptyDir: {} },
    ],
  };
}
