#!/bin/sh
# minio-init (docker-compose.yml): as MinIO's root user, creates the bucket deploy/flowders.env names
# and the job's own S3 user, allowed that bucket only. Idempotent: every step keeps or updates what a
# previous run made (a rotated job key replaces the old one).
# Secrets come from the files the credentials service wrote (/run/secrets/flowders), never from a
# command line: mc reads its alias from MC_HOST_<alias> in its environment (mc's documented
# `MC_HOST_<alias>=https://<access>:<secret>@<host>`), and `mc admin user add ALIAS ACCESSKEY` reads
# the secret key from stdin when it is not given (mc's fetchUserKeys).
set -eu

secrets=${FLOWDERS_SECRETS:-/run/secrets/flowders}
alias=flowders
policy=flowders-job

scheme=${FLOWDERS_S3_ENDPOINT%%://*}
host=${FLOWDERS_S3_ENDPOINT#*://}
MC_HOST_flowders="$scheme://$(cat "$secrets/root-user"):$(cat "$secrets/root-password")@$host"
export MC_HOST_flowders
job_user=$(cat "$secrets/job-access-key")

mc mb --ignore-existing "$alias/$FLOWDERS_S3_BUCKET"

# What S3A and Iceberg's Hadoop catalog do with the warehouse: list, read, write and delete objects,
# and abort a multipart upload that failed. Nothing on other buckets, nothing administrative.
mc admin policy create "$alias" "$policy" /dev/stdin <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      "Resource": ["arn:aws:s3:::$FLOWDERS_S3_BUCKET"]
    },
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      "Resource": ["arn:aws:s3:::$FLOWDERS_S3_BUCKET/*"]
    }
  ]
}
EOF

mc admin user add "$alias" "$job_user" < "$secrets/job-secret-key"

# MinIO refuses to attach a policy the user already has: that refusal is the state we want.
if ! mc admin policy attach "$alias" "$policy" --user "$job_user"; then
  mc admin user info "$alias" "$job_user" | grep -q "$policy"
fi
echo "minio-init: bucket $FLOWDERS_S3_BUCKET, user $job_user with policy $policy"
