#!/usr/bin/env bash
# kafka-init (docker-compose.yml): creates the orders topic as deploy/flowders.env describes it, once
# the three brokers are healthy. Idempotent: a re-run keeps an existing topic, re-applies its min ISR,
# and fails loudly if an old volume holds the topic with another partition count or replication.
set -euo pipefail

readonly bin=${KAFKA_HOME:-/opt/kafka}/bin
export KAFKA_HEAP_OPTS=-Xmx128m
bootstrap=(--bootstrap-server "$FLOWDERS_KAFKA_BOOTSTRAP")

"$bin/kafka-topics.sh" "${bootstrap[@]}" --create --if-not-exists --topic "$FLOWDERS_TOPIC" \
  --partitions "$FLOWDERS_TOPIC_PARTITIONS" \
  --replication-factor "$FLOWDERS_TOPIC_REPLICATION_FACTOR" \
  --config "min.insync.replicas=$FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS"
"$bin/kafka-configs.sh" "${bootstrap[@]}" --alter --entity-type topics --entity-name "$FLOWDERS_TOPIC" \
  --add-config "min.insync.replicas=$FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS"

description=$("$bin/kafka-topics.sh" "${bootstrap[@]}" --describe --topic "$FLOWDERS_TOPIC")
echo "$description"
summary=$(grep -m 1 '^Topic:' <<< "$description")$'\t'
for expected in "PartitionCount: $FLOWDERS_TOPIC_PARTITIONS" "ReplicationFactor: $FLOWDERS_TOPIC_REPLICATION_FACTOR"; do
  if [[ $summary != *$'\t'"$expected"$'\t'* ]]; then
    echo "kafka-init: topic $FLOWDERS_TOPIC exists without '$expected' (deploy/flowders.env);" \
      "an old Kafka volume? docker compose down -v" >&2
    exit 1
  fi
done
