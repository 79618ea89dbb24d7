#!/usr/bin/env bash
# Starts a KRaft Kafka node: writes server.properties from KAFKA_* variables (as apache/kafka
# does) or keeps the default, formats the log directory once, then runs the server.
set -euo pipefail
CONFIG_DIR=/opt/kafka/config
PROPS="$CONFIG_DIR/runtime.properties"
CLUSTER_ID="${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}"
# Variables for the JVM, not the server's configuration.
RESERVED='^KAFKA_(HEAP_OPTS|OPTS|JVM_PERFORMANCE_OPTS|LOG4J_OPTS|GC_LOG_OPTS|JMX_OPTS|DEBUG)='

if env | grep '^KAFKA_' | grep -Evq "$RESERVED"; then
  : >"$PROPS"
  env | grep '^KAFKA_' | grep -Ev "$RESERVED" | sort | while IFS='=' read -r name value; do
    key=$(printf '%s' "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' \
      | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
    printf '%s=%s\n' "$key" "$value" >>"$PROPS"
  done
  grep -q '^log\.dirs=' "$PROPS" || echo 'log.dirs=/var/lib/kafka/data' >>"$PROPS"
else
  cp "$CONFIG_DIR/server.properties" "$PROPS"
  echo 'log.dirs=/var/lib/kafka/data' >>"$PROPS"
fi

CLASSPATH="/opt/kafka/libs/*"
LOG4J="-Dlog4j2.configurationFile=file:$CONFIG_DIR/log4j2.properties"
java -Xmx256m "$LOG4J" -cp "$CLASSPATH" kafka.tools.StorageTool format --ignore-formatted \
  -t "$CLUSTER_ID" -c "$PROPS"
# shellcheck disable=SC2086 # word splitting of the options is intended
exec java ${KAFKA_HEAP_OPTS:--Xmx512m -Xms512m} ${KAFKA_OPTS:-} "$LOG4J" -cp "$CLASSPATH" \
  kafka.Kafka "$PROPS"
