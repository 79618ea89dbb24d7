"""Drives posthog-python against a PostHog-compatible server for PythonSdkConformanceTest.

Usage: python python_sdk.py <scenario> <host> <project_api_key> <secret_key>

Runs one scenario with the SDK's public API and prints one JSON object on stdout: what the SDK
answered. The Java test then checks what the server stored. Exits non-zero when the SDK raised.
"""

import json
import sys

import posthog
from posthog import Client


def client(host, project_api_key, **options):
    return Client(
        project_api_key,
        host=host,
        flush_at=1,
        flush_interval=0.1,
        max_retries=0,
        **options,
    )


def capture(host, key, secret, mode):
    errors = []
    sdk = client(
        host,
        key,
        capture_mode=mode,
        gzip=True,
        on_error=lambda error, batch: errors.append(str(error)),
    )
    answers = {
        "order_uuid": sdk.capture(
            "order_placed",
            distinct_id="user-1",
            properties={"amount": 42, "currency": "EUR", "$session_id": "session-7"},
            groups={"company": "acme"},
        ),
        "set_uuid": sdk.set(distinct_id="user-1", properties={"plan": "pro"}),
        "set_once_uuid": sdk.set_once(distinct_id="user-1", properties={"signup": "monday"}),
        "alias_uuid": sdk.alias(previous_id="device-9", distinct_id="user-1"),
        "group_uuid": sdk.group_identify(
            "company", "acme", {"tier": "enterprise"}, distinct_id="user-1"
        ),
    }
    sdk.flush()
    sdk.shutdown()
    answers["errors"] = errors
    return answers


def remote_flags(host, key, secret):
    sdk = client(host, key, enable_local_evaluation=False)
    answers = {
        "pricing": sdk.get_feature_flag("pricing", "user-1", send_feature_flag_events=False),
        "pricing_payload": sdk.get_feature_flag_payload("pricing", "user-1"),
        "beta": sdk.feature_enabled("beta", "user-1", send_feature_flag_events=False),
        "nobody": sdk.feature_enabled("nobody", "user-1", send_feature_flag_events=False),
        "acme_only": sdk.feature_enabled(
            "acme-only",
            "user-2",
            person_properties={"email": "b@acme.com"},
            send_feature_flag_events=False,
        ),
    }
    sdk.shutdown()
    return answers


def local_flags(host, key, secret):
    sdk = client(host, key, secret_key=secret)
    sdk.load_feature_flags()
    answers = {
        "pricing": sdk.get_feature_flag(
            "pricing", "user-1", only_evaluate_locally=True, send_feature_flag_events=False
        ),
        "pricing_payload": sdk.get_feature_flag_payload(
            "pricing", "user-1", only_evaluate_locally=True
        ),
        "beta": sdk.feature_enabled(
            "beta", "user-1", only_evaluate_locally=True, send_feature_flag_events=False
        ),
    }
    # A second poll revalidates with the ETag of the first.
    sdk.load_feature_flags()
    answers["beta_after_revalidation"] = sdk.feature_enabled(
        "beta", "user-1", only_evaluate_locally=True, send_feature_flag_events=False
    )
    sdk.shutdown()
    return answers


def remote_config(host, key, secret):
    sdk = client(host, key, secret_key=secret, enable_local_evaluation=False)
    answers = {
        "payload": sdk.get_remote_config_payload("checkout-config"),
        "ordinary": sdk.get_remote_config_payload("ordinary"),
    }
    sdk.shutdown()
    return answers


def quota_limited_flags(host, key, secret):
    sdk = client(host, key, enable_local_evaluation=False)
    answers = {"beta": sdk.get_feature_flag("beta", "user-1", send_feature_flag_events=False)}
    sdk.shutdown()
    return answers


SCENARIOS = {
    "capture": lambda h, k, s: capture(h, k, s, "v0"),
    "capture_v1": lambda h, k, s: capture(h, k, s, "v1"),
    "remote_flags": remote_flags,
    "local_flags": local_flags,
    "remote_config": remote_config,
    "quota_limited_flags": quota_limited_flags,
}


def main():
    scenario, host, project_api_key, secret_key = sys.argv[1:5]
    answers = SCENARIOS[scenario](host, project_api_key, secret_key)
    answers["sdk_version"] = posthog.VERSION
    print(json.dumps(answers, default=str))


if __name__ == "__main__":
    main()
