#!/usr/bin/env bash
# credentials (docker-compose.yml): the compose stack's secrets, generated on the first start and
# kept in the `credentials` volume (one file per secret, root only), then copied into one volume per
# service, owned by the user that service runs as, so each container mounts only what it needs:
#
#   ensure          generate what is missing, then write every service's files (the service's command)
#   show [NAME]     print one secret, or the names of all of them (generating what is missing)
#   rotate NAME     delete one secret and generate it again (then: docker compose up -d --force-recreate)
#
# Secrets are 48 hex digits (192 bits): safe inside URLs (MC_HOST_*), JAAS options and properties
# files without quoting. Nothing here takes a secret as an argument or prints one unasked.
set -euo pipefail

readonly STORE=${FLOWDERS_CREDENTIALS_STORE:-/var/lib/flowders/credentials}
readonly OUT=${FLOWDERS_CREDENTIALS_OUT:-/run/flowders}

# The users the images run as, which must own their service's files:
# apache/kafka (kafka1..3, kafka-init): appuser, the first user `adduser -D` makes on Alpine (its
# docker/jvm/Dockerfile); kafbat/kafka-ui: kafkaui, `adduser -S` (Alpine's first system uid), pinned
# with `user:` in docker-compose.yml; MinIO and mc: root; flowders/spark: spark, uid 185
# (deploy/spark/Dockerfile); the producer: 185 (ubi9/openjdk-17-runtime, Dockerfile.multistage).
readonly KAFKA_UID=1000
readonly KAFKA_UI_UID=100
readonly MINIO_UID=0
readonly SPARK_UID=185
readonly PRODUCER_UID=185

# The names of the local stack's credentials.properties where both stacks have the secret.
readonly SECRETS=(
  minio.root-user
  minio.root-password
  s3.access-key
  s3.secret-key
  spark.auth-secret
  kafka.admin.password
  kafka.producer.password
  kafka.job.password
  kafka.ui.password
  producer.rate-token
)

# Kafka principals (User:<name>), as kafka-init creates them and the ACLs name them.
readonly KAFKA_ADMIN=flowders-admin
readonly KAFKA_PRODUCER=flowders-producer
readonly KAFKA_JOB=flowders-job
readonly KAFKA_UI=flowders-ui

readonly SCRAM_MODULE=org.apache.kafka.common.security.scram.ScramLoginModule
readonly PLAIN_MODULE=org.apache.kafka.common.security.plain.PlainLoginModule

random_hex() {
  od -An -tx1 -N24 /dev/urandom | tr -d ' \n'
}

known() {
  local name
  for name in "${SECRETS[@]}"; do
    [[ $name == "$1" ]] && return 0
  done
  echo "credentials: no secret '$1'; known: ${SECRETS[*]}" >&2
  return 2
}

secret() {
  cat "$STORE/$1"
}

generate_missing() {
  local name value
  mkdir -p "$STORE"
  chmod 700 "$STORE"
  for name in "${SECRETS[@]}"; do
    if [[ ! -s $STORE/$name ]]; then
      case $name in
        minio.root-user) value=root-$(random_hex | cut -c1-12) ;;
        s3.access-key) value=flowders-job-$(random_hex | cut -c1-12) ;;
        *) value=$(random_hex) ;;
      esac
      (umask 077 && printf '%s' "$value" > "$STORE/$name")
      echo "credentials: generated $name" >&2
    fi
  done
}

# A service's folder: emptied, then filled by the caller, then handed to its user (0500/0400).
begin_folder() {
  mkdir -p "$OUT/$1"
  chmod 700 "$OUT/$1"
  find "$OUT/$1" -mindepth 1 -delete
}

end_folder() {
  local folder=$OUT/$1 uid=$2
  find "$folder" -type f -exec chmod 400 {} +
  chown -R "$uid:0" "$folder"
  chmod 500 "$folder"
}

# One file: written under umask 077, so no moment exists where another user could read it.
put() {
  (umask 077 && cat > "$OUT/$1")
}

scram_jaas() {
  echo "$SCRAM_MODULE required username=\"$1\" password=\"$2\";"
}

client_properties() {
  local mechanism=$1 jaas=$2
  printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=%s\nsasl.jaas.config=%s\n' "$mechanism" "$jaas"
}

write_service_files() {
  local admin_plain
  admin_plain="$PLAIN_MODULE required username=\"$KAFKA_ADMIN\" password=\"$(secret kafka.admin.password)\";"

  # Brokers: the admin password, which their PLAIN listeners (controller, replication) read through
  # FileConfigProvider; the admin client config their healthcheck and the README's CLI lines use.
  begin_folder kafka
  printf 'admin.password=%s\n' "$(secret kafka.admin.password)" | put kafka/broker.properties
  client_properties PLAIN "$admin_plain" | put kafka/admin.properties
  end_folder kafka "$KAFKA_UID"

  # kafka-init: the admin client config, and each principal's SCRAM credential as the
  # --add-config-file of kafka-configs.sh (a file: a password on its command line would show in ps).
  begin_folder kafka-init
  client_properties PLAIN "$admin_plain" | put kafka-init/admin.properties
  local user key
  for user in "$KAFKA_ADMIN:kafka.admin.password" "$KAFKA_PRODUCER:kafka.producer.password" \
    "$KAFKA_JOB:kafka.job.password" "$KAFKA_UI:kafka.ui.password"; do
    key=${user#*:}
    printf 'SCRAM-SHA-512=password=%s\n' "$(secret "$key")" | put "kafka-init/scram-${user%%:*}.properties"
  done
  end_folder kafka-init "$KAFKA_UID"

  # Kafka UI: its password alone, a Spring config tree entry (deploy/kafka/docker/kafka-ui.yml).
  begin_folder kafka-ui
  secret kafka.ui.password | put kafka-ui/kafka-ui-password
  end_folder kafka-ui "$KAFKA_UI_UID"

  # MinIO: its root user, read through MINIO_ROOT_USER_FILE / MINIO_ROOT_PASSWORD_FILE.
  begin_folder minio
  secret minio.root-user | put minio/root-user
  secret minio.root-password | put minio/root-password
  end_folder minio "$MINIO_UID"

  # minio-init: the root user (to create the bucket and the job's user) and the job's key pair.
  begin_folder minio-init
  secret minio.root-user | put minio-init/root-user
  secret minio.root-password | put minio-init/root-password
  secret s3.access-key | put minio-init/job-access-key
  secret s3.secret-key | put minio-init/job-secret-key
  end_folder minio-init "$MINIO_UID"

  # Spark master and workers: the spark.authenticate secret only.
  begin_folder spark
  secret spark.auth-secret | put spark/spark-auth-secret
  end_folder spark "$SPARK_UID"

  # The job's container (the job, sql, verify): the Spark secret, its S3 key pair, its Kafka client.
  begin_folder spark-job
  secret spark.auth-secret | put spark-job/spark-auth-secret
  secret s3.access-key | put spark-job/s3-access-key
  secret s3.secret-key | put spark-job/s3-secret-key
  client_properties SCRAM-SHA-512 "$(scram_jaas "$KAFKA_JOB" "$(secret kafka.job.password)")" |
    put spark-job/kafka-client.properties
  end_folder spark-job "$SPARK_UID"

  # The producer: Quarkus reads this file through QUARKUS_CONFIG_LOCATIONS.
  begin_folder producer
  {
    printf 'kafka.sasl.jaas.config=%s\n' "$(scram_jaas "$KAFKA_PRODUCER" "$(secret kafka.producer.password)")"
    printf 'orders.rate-token=%s\n' "$(secret producer.rate-token)"
  } | put producer/producer.properties
  end_folder producer "$PRODUCER_UID"
}

main() {
  local command=${1:-ensure}
  case $command in
    ensure)
      generate_missing
      write_service_files
      ;;
    show)
      generate_missing
      if (($# < 2)); then
        printf '%s\n' "${SECRETS[@]}"
      else
        known "$2"
        secret "$2"
        echo
      fi
      ;;
    rotate)
      known "${2:?usage: rotate NAME}"
      rm -f "$STORE/$2"
      generate_missing
      write_service_files
      echo "credentials: $2 rotated; restart the stack to use it: docker compose up -d --force-recreate"
      ;;
    *)
      echo "usage: credentials ensure | show [NAME] | rotate NAME" >&2
      return 2
      ;;
  esac
}

main "$@"
