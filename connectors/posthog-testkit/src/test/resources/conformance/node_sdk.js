// Drives posthog-node against a PostHog-compatible server for NodeSdkConformanceTest.
//
// Usage: NODE_PATH=<node_modules with posthog-node> node node_sdk.js <scenario> <host> <project_api_key> <secret_key>
//
// Runs one scenario with the SDK's public API and prints one JSON object on stdout: what the SDK
// answered. The Java test then checks what the server stored. Exits non-zero when the SDK threw.

const [scenario, host, projectApiKey, secretKey] = process.argv.slice(2);
if (scenario === 'capture_v1') {
  // posthog-node reads its capture protocol from the environment when the client is built.
  process.env.POSTHOG_CAPTURE_MODE = 'v1';
}
const { PostHog } = require('posthog-node');

function client(options = {}) {
  return new PostHog(projectApiKey, { host, flushAt: 1, flushInterval: 0, fetchRetryCount: 0, ...options });
}

async function capture() {
  const errors = [];
  const sdk = client();
  sdk.on('error', (error) => errors.push(String(error)));
  sdk.capture({
    distinctId: 'user-1',
    event: 'order_placed',
    properties: { amount: 42, currency: 'EUR', $session_id: 'session-7' },
    groups: { company: 'acme' },
  });
  sdk.identify({ distinctId: 'user-1', properties: { $set: { plan: 'pro' }, $set_once: { signup: 'monday' } } });
  sdk.alias({ distinctId: 'user-1', alias: 'device-9' });
  sdk.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: { tier: 'enterprise' }, distinctId: 'user-1' });
  await sdk.shutdown();
  return { errors };
}

async function remoteFlags() {
  const sdk = client();
  const answers = {
    pricing: await sdk.getFeatureFlag('pricing', 'user-1', { sendFeatureFlagEvents: false }),
    pricing_payload: await sdk.getFeatureFlagPayload('pricing', 'user-1'),
    beta: await sdk.getFeatureFlag('beta', 'user-1', { sendFeatureFlagEvents: false }),
    nobody: await sdk.getFeatureFlag('nobody', 'user-1', { sendFeatureFlagEvents: false }),
    acme_only: await sdk.getFeatureFlag('acme-only', 'user-2', {
      personProperties: { email: 'b@acme.com' },
      sendFeatureFlagEvents: false,
    }),
  };
  await sdk.shutdown();
  return answers;
}

async function localFlags() {
  const sdk = client({ personalApiKey: secretKey });
  await sdk.reloadFeatureFlags();
  const local = { onlyEvaluateLocally: true, sendFeatureFlagEvents: false };
  const answers = {
    pricing: await sdk.getFeatureFlag('pricing', 'user-1', local),
    pricing_payload: await sdk.getFeatureFlagPayload('pricing', 'user-1', undefined, { onlyEvaluateLocally: true }),
    beta: await sdk.getFeatureFlag('beta', 'user-1', local),
  };
  // A second poll revalidates with the ETag of the first.
  await sdk.reloadFeatureFlags();
  answers.beta_after_revalidation = await sdk.getFeatureFlag('beta', 'user-1', local);
  await sdk.shutdown();
  return answers;
}

async function remoteConfig() {
  const sdk = client({ personalApiKey: secretKey });
  const answers = { payload: await sdk.getRemoteConfigPayload('checkout-config') };
  await sdk.shutdown();
  return answers;
}

const SCENARIOS = {
  capture,
  capture_v1: capture,
  remote_flags: remoteFlags,
  local_flags: localFlags,
  remote_config: remoteConfig,
};

SCENARIOS[scenario]()
  .then((answers) => {
    process.stdout.write(JSON.stringify(answers) + '\n');
  })
  .catch((error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
    process.exit(1);
  });
