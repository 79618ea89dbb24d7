#!/usr/bin/env bash
# The local Flink image's entrypoint, with the official image's interface:
#   jobmanager [args]       a session cluster's JobManager
#   standalone-job [args]   an application cluster's JobManager (--job-classname, job args; the
#                           job jar in /opt/flink/usrlib)
#   taskmanager [args]      a TaskManager
#   help                    this text
#   anything else           run as a command (e.g. flink run ...)
# FLINK_PROPERTIES: "key: value" lines that override conf/config.yaml.
set -euo pipefail
. /opt/flink/bin/flink-env.sh

CONF_FILE="$FLINK_CONF_DIR/config.yaml"

# Applies FLINK_PROPERTIES: each of its keys replaces the same key in config.yaml.
prepare_configuration() {
  [ -n "${FLINK_PROPERTIES:-}" ] || return 0
  local overrides keys
  overrides=$(printf '%s\n' "$FLINK_PROPERTIES" | grep -E '^[[:space:]]*[^#[:space:]][^:]*:' || true)
  keys=$(printf '%s\n' "$overrides" | sed -E 's/^[[:space:]]*([^:]+):.*/\1/' | sed -E 's/[[:space:]]+$//')
  awk -v keys="$keys" '
    BEGIN { n = split(keys, list, "\n"); for (i = 1; i <= n; i++) if (list[i] != "") drop[list[i]] = 1 }
    { key = $0; sub(/:.*/, "", key); gsub(/^[ \t]+|[ \t]+$/, "", key); if (!(key in drop)) print }
  ' "$CONF_FILE" >"$CONF_FILE.tmp"
  printf '%s\n' "$overrides" >>"$CONF_FILE.tmp"
  mv "$CONF_FILE.tmp" "$CONF_FILE"
}

# Runs BashJavaUtils (as bin/jobmanager.sh and bin/taskmanager.sh do) and prints its two result
# lines: the JVM memory options, then the dynamic configuration.
resource_params() {
  java -Xmx128m -cp "$FLINK_CLASSPATH" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" \
    --configDir "$FLINK_CONF_DIR" "${@:2}" 2>&1 | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' \
    | tail -2 | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

run_process() {
  local main_class=$1 params=$2
  shift 2
  local results jvm dynamic
  results=$(resource_params "$params")
  if [ "$(printf '%s\n' "$results" | wc -l)" -lt 2 ]; then
    echo "BashJavaUtils $params failed:" >&2
    java -Xmx128m -cp "$FLINK_CLASSPATH" org.apache.flink.runtime.util.bash.BashJavaUtils \
      "$params" --configDir "$FLINK_CONF_DIR" >&2 || true
    exit 1
  fi
  jvm=$(printf '%s\n' "$results" | sed -n 1p)
  dynamic=$(printf '%s\n' "$results" | sed -n 2p)
  # shellcheck disable=SC2086 # word splitting of the computed options is intended
  exec java "${FLINK_JVM_OPENS[@]}" $jvm ${FLINK_ENV_JAVA_OPTS:-} \
    -Dlog4j.configurationFile="file:$FLINK_CONF_DIR/log4j-console.properties" \
    -cp "$FLINK_CLASSPATH" "$main_class" --configDir "$FLINK_CONF_DIR" $dynamic "$@"
}

command=${1:-help}
case "$command" in
  jobmanager)
    shift
    prepare_configuration
    run_process org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
      GET_JM_RESOURCE_PARAMS "$@"
    ;;
  standalone-job)
    shift
    prepare_configuration
    run_process org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint \
      GET_JM_RESOURCE_PARAMS "$@"
    ;;
  taskmanager)
    shift
    prepare_configuration
    run_process org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS "$@"
    ;;
  help)
    sed -n '2,9p' "$0"
    ;;
  *)
    prepare_configuration
    exec "$@"
    ;;
esac
