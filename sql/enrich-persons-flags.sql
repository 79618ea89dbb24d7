-- Kafka events enriched with PostHog persons and feature flags, sent back to PostHog.
--
-- Each page view from Kafka is joined with its person (plan, email) and with the flags of its
-- distinct id, and captured with those as properties ('$feature/<key>' as PostHog's SDKs send
-- them with send_feature_flags).
-- Placeholders (each written as ${...} below): KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC, KAFKA_GROUP_ID,
-- KAFKA_SCAN_BOUNDED_MODE, POSTHOG_HOST, POSTHOG_PROJECT_ID.
-- Keys are not in the script: 'credentials.provider' = 'ENV' reads POSTHOG_PROJECT_API_KEY
-- (phc_...) and POSTHOG_PERSONAL_API_KEY (phx_..., reads persons and flag definitions) from the
-- environment of the TaskManagers (and of the SQL client, for a local run).

SET 'table.dml-sync' = 'true';

CREATE TABLE page_views (
  view_id STRING,
  distinct_id STRING,
  path STRING,
  viewed_at TIMESTAMP_LTZ(3),
  proc_time AS PROCTIME()
) WITH (
  'connector' = 'kafka',
  'topic' = '${KAFKA_TOPIC}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
  'properties.group.id' = '${KAFKA_GROUP_ID}',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = '${KAFKA_SCAN_BOUNDED_MODE}',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

-- Persons by distinct id; Flink's partial cache keeps each person for 10 minutes.
CREATE TABLE persons (
  distinct_id STRING,
  id STRING,
  properties MAP<STRING, STRING>
) WITH (
  'connector' = 'posthog-persons',
  'host' = '${POSTHOG_HOST}',
  'credentials.provider' = 'ENV',
  'project-id' = '${POSTHOG_PROJECT_ID}',
  'lookup.cache' = 'PARTIAL',
  'lookup.partial-cache.max-rows' = '100000',
  'lookup.partial-cache.expire-after-write' = '10min',
  'lookup.partial-cache.cache-missing-key' = 'true'
);

-- Flags evaluated locally from polled definitions; 'flags' holds every flag's value.
CREATE TABLE flags (
  distinct_id STRING,
  flags MAP<STRING, STRING>,
  active_flags ARRAY<STRING>
) WITH (
  'connector' = 'posthog-flags',
  'host' = '${POSTHOG_HOST}',
  'credentials.provider' = 'ENV',
  'project-id' = '${POSTHOG_PROJECT_ID}'
);

CREATE TABLE posthog_events (
  event STRING,
  distinct_id STRING,
  properties STRING,
  `timestamp` TIMESTAMP_LTZ(3),
  uuid STRING
) WITH (
  'connector' = 'posthog',
  'host' = '${POSTHOG_HOST}',
  'credentials.provider' = 'ENV'
);

INSERT INTO posthog_events
SELECT
  'enriched page view',
  v.distinct_id,
  JSON_OBJECT(
    'path' VALUE v.path,
    'person_id' VALUE p.id,
    'plan' VALUE p.properties['plan'],
    '$feature/beta' VALUE f.flags['beta'],
    '$active_feature_flags' VALUE f.active_flags
  ),
  v.viewed_at,
  v.view_id
FROM page_views AS v
LEFT JOIN persons FOR SYSTEM_TIME AS OF v.proc_time AS p ON v.distinct_id = p.distinct_id
LEFT JOIN flags FOR SYSTEM_TIME AS OF v.proc_time AS f ON v.distinct_id = f.distinct_id;
