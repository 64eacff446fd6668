import { FieldContext } from './context';

/**
 * The one rule for credentials in the manifests: a credential never appears as a literal in a container's args or
 * env, where it would be stored in plain text in Git, in the API server and in every `kubectl get -o yaml`. Every
 * pattern's engine args and env, and the KServe translation (which renders through the same engines), go through
 * these checks. The value is never echoed in the error.
 */

/**
 * Env names that hold credentials (`HF_TOKEN`, `HUGGING_FACE_HUB_TOKEN`, `OPENAI_API_KEY`, `VLLM_API_KEY`, `*_PASSWORD`,
 * `*_SECRET_*`, …): the words as `_`-separated parts of the name, so `TOKENIZERS_PARALLELISM` or `MAX_TOKENS` are not.
 */
const SECRET_ENV_NAME = /(^|[_.-])(TOKEN|SECRET|SECRETS|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|SECRET_KEY|PRIVATE_KEY|AUTH_TOKEN)([_.-]|$)/i;

/** Values that are credentials whatever they are called: Hugging Face, OpenAI-style, AWS, GitHub and Slack tokens, PEM keys. */
const SECRET_VALUE = /(^|[^A-Za-z0-9])(hf_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[A-Za-z0-9-]{10,})|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Flags whose value is a credential (vLLM's `--api-key`, `--hf-token <token>`). */
const SECRET_FLAGS = new Set(['--api-key', '--hf-token']);

/** Shown instead of the credential. @internal */
export const REDACTED = '<redacted>';

/** Whether a value looks like a credential, whatever field holds it. @internal */
export function looksLikeSecret(value: string): boolean {
  return SECRET_VALUE.test(value);
}

function fixFor(name: string): string {
  if (/^(HF_|HUGGING_FACE)/i.test(name) || /^--hf-token$/.test(name)) {
    return "put the token in a Secret and reference it: ModelSource.huggingFace('org/model', { token: { name: 'hf-token' } }) (env HF_TOKEN from secretKeyRef)";
  }
  if (/API_?KEY|--api-key/i.test(name)) {
    return 'put the key in a Secret and set the variable from it (valueFrom.secretKeyRef) instead of a literal; vLLM reads VLLM_API_KEY';
  }
  return 'put it in a Secret and reference it (valueFrom.secretKeyRef) instead of a literal';
}

/** Refuse an env entry whose value is a literal credential (empty values are allowed: they hold nothing). @internal */
export function checkSecretEnv(ctx: FieldContext, field: string, name: string, value: string): void {
  if (value === '') return;
  if (SECRET_ENV_NAME.test(name) || looksLikeSecret(value)) {
    throw ctx.error(field, REDACTED, 'looks like a credential given as a literal, which would be stored in plain text in the manifests', fixFor(name));
  }
}

/** Refuse any arg that looks like a credential (run before parsing, so no parse error echoes it). @internal */
export function checkSecretTokens(ctx: FieldContext, field: string, args: readonly unknown[]): void {
  args.forEach((a, i) => {
    if (typeof a === 'string' && looksLikeSecret(a)) {
      throw ctx.error(`${field}[${i}]`, REDACTED, 'looks like a credential given as a literal, which would be stored in plain text in the manifests', fixFor(''));
    }
  });
}

/** Refuse a credential flag with a value (`--api-key xyz`, `--api-key=xyz`, `--hf-token <token>`), from the parsed args. @internal */
export function checkSecretFlags(ctx: FieldContext, field: string,
  flags: readonly { readonly name: string; readonly index: number; readonly values: readonly string[] }[]): void {
  for (const f of flags) {
    if (SECRET_FLAGS.has(f.name) && f.values.some((v) => v !== '')) {
      throw ctx.error(`${field}[${f.index}]`, REDACTED, `gives ${f.name} a literal credential, which would be stored in plain text in the manifests`, fixFor(f.name));
    }
  }
}
