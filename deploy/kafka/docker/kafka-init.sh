#!/usr/bin/env bash
# kafka-init (docker-compose.yml): once the three brokers are healthy, as the admin principal:
# 1. sets the SCRAM-SHA-512 credential of each principal (the client listeners accept nothing else);
# 2. creates the orders topic as deploy/flowders.env describes it;
# 3. grants each principal what it needs and no more (the brokers deny whatever no ACL allows).
# Idempotent: a re-run re-applies the credentials (a rotated password takes effect), keeps an
# existing topic, re-applies its min ISR, and fails loudly if an old volume holds the topic with
# another partition count or replication. The admin connects on the brokers' PLAIN listener
# (KAFKA_ADMIN_BOOTSTRAP), which needs no SCRAM credential yet; every secret comes from a file the
# credentials service wrote, never from a command line.
set -euo pipefail

readonly bin=${KAFKA_HOME:-/opt/kafka}/bin
readonly secrets=${FLOWDERS_SECRETS:-/run/secrets/flowders}
export KAFKA_HEAP_OPTS=-Xmx128m

readonly ADMIN=User:flowders-admin
readonly PRODUCER=User:flowders-producer
readonly JOB=User:flowders-job
readonly UI=User:flowders-ui
# Consumer groups of the job's Kafka source: Spark names them spark-kafka-source-<uuid> (streaming)
# and spark-kafka-relation-<uuid> (batch reads: verify), unless a groupIdPrefix option says otherwise.
readonly JOB_GROUP_PREFIXES=(spark-kafka-source- spark-kafka-relation-)

admin=(--bootstrap-server "$KAFKA_ADMIN_BOOTSTRAP" --command-config "$secrets/admin.properties")

# 1. Credentials: one --add-config-file per principal, a properties line SCRAM-SHA-512=password=...
# (the brackets of --add-config's syntax are not stripped from a file's values). kafka-configs.sh
# quotes a credential it refuses in its error message: the output is masked before it reaches the log.
for principal in "$ADMIN" "$PRODUCER" "$JOB" "$UI"; do
  user=${principal#User:}
  "$bin/kafka-configs.sh" "${admin[@]}" --alter --entity-type users --entity-name "$user" \
    --add-config-file "$secrets/scram-$user.properties" 2>&1 | sed -E 's/password=[^],[:space:]]*/password=(hidden)/g'
done

# 2. The topic.
"$bin/kafka-topics.sh" "${admin[@]}" --create --if-not-exists --topic "$FLOWDERS_TOPIC" \
  --partitions "$FLOWDERS_TOPIC_PARTITIONS" \
  --replication-factor "$FLOWDERS_TOPIC_REPLICATION_FACTOR" \
  --config "min.insync.replicas=$FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS"
"$bin/kafka-configs.sh" "${admin[@]}" --alter --entity-type topics --entity-name "$FLOWDERS_TOPIC" \
  --add-config "min.insync.replicas=$FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS"

description=$("$bin/kafka-topics.sh" "${admin[@]}" --describe --topic "$FLOWDERS_TOPIC")
echo "$description"
summary=$(grep -m 1 '^Topic:' <<< "$description")$'\t'
for expected in "PartitionCount: $FLOWDERS_TOPIC_PARTITIONS" "ReplicationFactor: $FLOWDERS_TOPIC_REPLICATION_FACTOR"; do
  if [[ $summary != *$'\t'"$expected"$'\t'* ]]; then
    echo "kafka-init: topic $FLOWDERS_TOPIC exists without '$expected' (deploy/flowders.env);" \
      "an old Kafka volume? docker compose down -v" >&2
    exit 1
  fi
done

# 3. ACLs (adding one that exists changes nothing). The producer writes the topic (Kafka 3+ needs no
# IdempotentWrite on the cluster for an idempotent producer, WRITE on the topic is enough).
acl() {
  "$bin/kafka-acls.sh" "${admin[@]}" --add "$@"
}
acl --allow-principal "$PRODUCER" --operation Write --operation Describe --topic "$FLOWDERS_TOPIC"
acl --allow-principal "$JOB" --operation Read --operation Describe --topic "$FLOWDERS_TOPIC"
for prefix in "${JOB_GROUP_PREFIXES[@]}"; do
  acl --allow-principal "$JOB" --operation Read --resource-pattern-type prefixed --group "$prefix"
done
# Kafka UI, read-only: browse every topic and group, describe the cluster and the configs.
acl --allow-principal "$UI" --operation Read --operation Describe --operation DescribeConfigs --topic '*'
acl --allow-principal "$UI" --operation Read --operation Describe --group '*'
acl --allow-principal "$UI" --operation Describe --operation DescribeConfigs --cluster
