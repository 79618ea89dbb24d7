-- Kafka -> PostHog capture.
--
-- Reads JSON order events from a Kafka topic and sends one PostHog event per record.
-- Placeholders (each written as ${...} below): KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPIC, KAFKA_GROUP_ID,
-- KAFKA_SCAN_BOUNDED_MODE ('unbounded' for a streaming job, 'latest-offset' for a one-off),
-- POSTHOG_HOST (e.g. https://eu.i.posthog.com). The key is not in the script:
-- 'credentials.provider' = 'ENV' reads POSTHOG_PROJECT_API_KEY (phc_...) from the environment of
-- the TaskManagers (and of the SQL client, for a local run).
--
-- Run: sql-client.sh -j flink-sql-connector-posthog-<version>.jar \
--                    -j flink-sql-connector-kafka-<version>.jar -f kafka-to-posthog.sql
--
-- Every event gets a stable uuid: the Kafka record's own 'event_id' here. Without a uuid column
-- the sink derives one from the row's content (event, distinct_id, properties, timestamp), so a
-- replay after a restart sends the same uuids and PostHog deduplicates them.

SET 'table.dml-sync' = 'true';

CREATE TABLE orders (
  event_id STRING,
  customer_id STRING,
  total DECIMAL(10, 2),
  currency STRING,
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

CREATE TABLE posthog_events (
  event STRING,
  distinct_id STRING,
  properties MAP<STRING, STRING>,
  `timestamp` TIMESTAMP_LTZ(3),
  uuid STRING
) WITH (
  'connector' = 'posthog',
  'host' = '${POSTHOG_HOST}',
  'credentials.provider' = 'ENV',
  'sink.error-handling' = 'LOG_AND_CONTINUE'
);

INSERT INTO posthog_events
SELECT
  'order placed',
  customer_id,
  MAP['total', CAST(total AS STRING), 'currency', currency, 'source', 'kafka'],
  placed_at,
  event_id
FROM orders;
