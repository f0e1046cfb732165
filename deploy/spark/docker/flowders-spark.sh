#!/usr/bin/env bash
# Entrypoint of the flowders Spark image (deploy/spark/Dockerfile), installed as `flowders-spark`.
# One image plays every Spark role of docker-compose.yml; this script picks the role and first writes
# $SPARK_HOME/conf/spark-defaults.conf from the FLOWDERS_* environment (catalog `lake`, Iceberg,
# S3A), so anything started in the container later, `spark-sql` included, finds the catalog preset
# (uncached: a long SQL session sees each commit of the running job).
# Settings come from the environment (compose loads deploy/flowders.env and overrides the hosts);
# the copy of deploy/flowders.env in the image fills in whatever is unset or blank. Secrets come from
# the files the compose credentials service writes (FLOWDERS_SECRETS): exported to the processes
# started here, written only to spark-defaults.conf (0600), never onto a command line.
set -euo pipefail

readonly JOB_CLASS=io.flowders.job.OrdersJob
readonly VERIFY_CLASS=io.flowders.verify.Verify
readonly CATALOG=lake
readonly FLOWDERS_HOME=${FLOWDERS_HOME:-/opt/flowders}
readonly APP_JAR=$FLOWDERS_HOME/flowders-streaming-job.jar
readonly SPARK_HOME=${SPARK_HOME:-/opt/spark}
readonly FLOWDERS_SECRETS=${FLOWDERS_SECRETS:-/run/secrets/flowders}
# sql and verify run beside the streaming job, which holds all the cluster's cores: local mode.
readonly LOCAL_MASTER='local[2]'

usage() {
  cat <<EOF
usage: flowders-spark COMMAND [ARGS...]
  master          Spark master (FLOWDERS_SPARK_MASTER's host and port, UI on FLOWDERS_SPARK_MASTER_UI_PORT)
  worker N        the N-th worker: UI on the N-th port of FLOWDERS_SPARK_WORKER_UI_PORTS
  job [ARGS]      submit the streaming job ($JOB_CLASS) to the master, client mode
  sql [ARGS]      spark-sql on catalog $CATALOG (e.g. sql -e "SELECT * FROM $CATALOG.flowders.customer_minute_totals")
  verify [ARGS]   recompute the aggregates from the topic and compare with the table ($VERIFY_CLASS)
  help            this text
Anything else runs as a command (e.g. bash), with spark-defaults.conf written too.
EOF
}

load_defaults() {
  local key value
  while IFS='=' read -r key value; do
    # Unset or blank: the default, as in every module (FlowdersSettings).
    if [[ $key =~ ^[A-Z][A-Z0-9_]*$ && -z ${!key:-} ]]; then
      export "$key=$value"
    fi
  done < "$FLOWDERS_HOME/deploy/flowders.env"
}

# One secret file's content, empty when this container has no such file.
secret() {
  local file=$FLOWDERS_SECRETS/$1
  if [[ -r $file ]]; then
    printf '%s' "$(< "$file")"
  fi
}

# Every Spark process here (master, worker, driver, the executors a worker starts) authenticates with
# the cluster's secret: Spark's SecurityManager reads _SPARK_AUTH_SECRET from the environment before
# spark.authenticate.secret, and a worker hands it to its executors the same way. A driver of a
# standalone cluster must also have spark.authenticate.secret in its conf (SecurityManager's
# initializeAuth): the job sets it from FLOWDERS_SPARK_AUTH_SECRET (SparkSessions). Then the job's
# own S3 key pair and Kafka client config, where this container has them (the job's container).
load_secrets() {
  local spark_secret
  spark_secret=$(secret spark-auth-secret)
  if [[ -z $spark_secret ]]; then
    echo "flowders-spark: no $FLOWDERS_SECRETS/spark-auth-secret (docker compose's credentials" \
      "service writes it); Spark does not run unauthenticated here" >&2
    exit 2
  fi
  export _SPARK_AUTH_SECRET=$spark_secret FLOWDERS_SPARK_AUTH_SECRET=$spark_secret
  if [[ -r $FLOWDERS_SECRETS/s3-secret-key ]]; then
    FLOWDERS_S3_ACCESS_KEY=$(secret s3-access-key)
    FLOWDERS_S3_SECRET_KEY=$(secret s3-secret-key)
    export FLOWDERS_S3_ACCESS_KEY FLOWDERS_S3_SECRET_KEY
  fi
  if [[ -r $FLOWDERS_SECRETS/kafka-client.properties ]]; then
    export FLOWDERS_KAFKA_PROPERTIES=$FLOWDERS_SECRETS/kafka-client.properties
  fi
}

write_spark_defaults() {
  local ssl=false
  if [[ $FLOWDERS_S3_ENDPOINT == https://* ]]; then
    ssl=true
  fi
  (
    umask 077
    cat > "$SPARK_HOME/conf/spark-defaults.conf" <<EOF
# Written by flowders-spark at container start from the FLOWDERS_* environment.
spark.sql.extensions org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions
spark.sql.catalog.$CATALOG org.apache.iceberg.spark.SparkCatalog
spark.sql.catalog.$CATALOG.type hadoop
spark.sql.catalog.$CATALOG.warehouse $FLOWDERS_WAREHOUSE
spark.sql.catalog.$CATALOG.cache-enabled false
spark.sql.session.timeZone UTC
# The UIs' kill links are plain GETs: any web page the user opens could stop the job with one.
spark.ui.killEnabled false
# The secret itself is in the environment (_SPARK_AUTH_SECRET, see load_secrets).
spark.authenticate true
spark.hadoop.fs.s3a.endpoint $FLOWDERS_S3_ENDPOINT
spark.hadoop.fs.s3a.endpoint.region us-east-1
spark.hadoop.fs.s3a.path.style.access true
spark.hadoop.fs.s3a.connection.ssl.enabled $ssl
EOF
    # The job's S3 key pair, for spark-sql's catalog, where this container has it: the master and the
    # workers hold none (executors get the driver's).
    if [[ -n ${FLOWDERS_S3_SECRET_KEY:-} ]]; then
      cat >> "$SPARK_HOME/conf/spark-defaults.conf" <<EOF
spark.hadoop.fs.s3a.aws.credentials.provider org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider
spark.hadoop.fs.s3a.access.key $FLOWDERS_S3_ACCESS_KEY
spark.hadoop.fs.s3a.secret.key $FLOWDERS_S3_SECRET_KEY
EOF
    fi
  )
}

# spark://host:port -> host / port
master_host() { local hp=${FLOWDERS_SPARK_MASTER#spark://}; echo "${hp%:*}"; }
master_port() { echo "${FLOWDERS_SPARK_MASTER##*:}"; }

master() {
  exec "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host "$(master_host)" --port "$(master_port)" --webui-port "$FLOWDERS_SPARK_MASTER_UI_PORT"
}

worker() {
  local index=${1:?usage: worker N (1-based)}
  local ui_ports
  IFS=, read -r -a ui_ports <<< "$FLOWDERS_SPARK_WORKER_UI_PORTS"
  if ! [[ $index =~ ^[1-9][0-9]*$ ]] || ((index > ${#ui_ports[@]})); then
    echo "flowders-spark: no worker $index in FLOWDERS_SPARK_WORKER_UI_PORTS=$FLOWDERS_SPARK_WORKER_UI_PORTS" >&2
    exit 2
  fi
  exec "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
    --host "$HOSTNAME" --cores "$FLOWDERS_SPARK_WORKER_CORES" --memory "$FLOWDERS_SPARK_WORKER_MEMORY" \
    --webui-port "${ui_ports[index - 1]}" --work-dir "$SPARK_HOME/work" "$FLOWDERS_SPARK_MASTER"
}

job() {
  exec "$SPARK_HOME/bin/spark-submit" --master "$FLOWDERS_SPARK_MASTER" --deploy-mode client \
    --name flowders-orders --class "$JOB_CLASS" \
    --conf "spark.driver.host=$HOSTNAME" --conf spark.driver.bindAddress=0.0.0.0 \
    --conf spark.executor.cores=1 --conf "spark.cores.max=$FLOWDERS_SPARK_EXECUTORS" \
    --conf "spark.executor.memory=$FLOWDERS_SPARK_EXECUTOR_MEMORY" \
    --conf "spark.ui.port=$FLOWDERS_SPARK_UI_PORT" \
    "$APP_JAR" "$@"
}

# spark-sql finds the catalog's Iceberg runtime and S3A in the job's jar; job and verify are
# submitted with it, and Spark ships it to the executors.
sql() {
  exec "$SPARK_HOME/bin/spark-sql" --master "$LOCAL_MASTER" --conf spark.ui.enabled=false \
    --driver-class-path "$APP_JAR" "$@"
}

verify() {
  FLOWDERS_SPARK_MASTER=$LOCAL_MASTER exec "$SPARK_HOME/bin/spark-submit" --master "$LOCAL_MASTER" \
    --conf spark.ui.enabled=false --class "$VERIFY_CLASS" "$APP_JAR" "$@"
}

main() {
  local command=${1:-help}
  shift || true
  case $command in
    help | -h | --help) usage && return ;;
  esac
  load_defaults
  load_secrets
  write_spark_defaults
  case $command in
    master | worker | job | sql | verify) "$command" "$@" ;;
    *) exec "$command" "$@" ;;
  esac
}

main "$@"
