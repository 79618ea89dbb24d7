-- A HogQL snapshot joined to a Kafka stream.
--
-- Reads every person's email and plan once with HogQL (a bounded snapshot of the persons
-- table) and joins each order from Kafka with its customer's plan; orders of customers PostHog
-- does not know are dropped (inner join: the result stays insert-only for the PostHog sink).
-- For a snapshot that refreshes, drop 'hogql.bounded' and declare PRIMARY KEY (email) NOT
-- ENFORCED: the table becomes an upsert changelog polled every 'hogql.poll-interval'.
-- Placeholders (each written as ${...} below): KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC, KAFKA_GROUP_ID,
-- KAFKA_SCAN_BOUNDED_MODE, POSTHOG_HOST, POSTHOG_PROJECT_ID.
-- Keys are not in the script: 'credentials.provider' = 'ENV' reads POSTHOG_PROJECT_API_KEY
-- (phc_...) and POSTHOG_PERSONAL_API_KEY (phx_..., query read access) from the environment of
-- the TaskManagers (and of the SQL client, for a local run).

SET 'table.dml-sync' = 'true';

CREATE TABLE orders (
  event_id STRING,
  customer_email STRING,
  total DECIMAL(10, 2),
  placed_at TIMESTAMP_LTZ(3)
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

CREATE TABLE customer_plans (
  email STRING,
  plan STRING
) WITH (
  'connector' = 'posthog-hogql',
  'host' = '${POSTHOG_HOST}',
  'credentials.provider' = 'ENV',
  'project-id' = '${POSTHOG_PROJECT_ID}',
  'hogql.query' = 'SELECT properties.email AS email, properties.plan AS plan FROM persons WHERE properties.email IS NOT NULL LIMIT 50000',
  'hogql.bounded' = 'true'
);

CREATE TABLE posthog_events (
  event STRING,
  distinct_id STRING,
  properties MAP<STRING, STRING>,
  `timestamp` TIMESTAMP_LTZ(3),
  uuid STRING
) WITH (
  'connector' = 'posthog',
  'host' = '${POSTHOG_HOST}',
  'credentials.provider' = 'ENV'
);

INSERT INTO posthog_events
SELECT
  'order with plan',
  o.customer_email,
  MAP['plan', p.plan, 'total', CAST(o.total AS STRING)],
  o.placed_at,
  o.event_id
FROM orders AS o
JOIN customer_plans AS p ON o.customer_email = p.email;
