package io.flowders.stack;

import io.flowders.stack.Credentials.Secret;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka users of the secured cluster, each with a client config file of its own ({@code
 * <name>.properties}, owner-only) that its clients apply as they are: SASL_PLAINTEXT with
 * SCRAM-SHA-512 on the client listeners.
 */
public enum KafkaPrincipal {
  /**
   * Super user: the brokers among themselves (SASL/PLAIN on the inter-broker and controller
   * listeners), topic creation, the {@code ./flowders kafka-*} tools.
   */
  ADMIN("flowders-admin", "admin", Secret.KAFKA_ADMIN_PASSWORD),
  /** The producer: WRITE and DESCRIBE on the topic, nothing else. */
  PRODUCER("flowders-producer", "producer", Secret.KAFKA_PRODUCER_PASSWORD),
  /**
   * The job, verify and the bench's readers: READ and DESCRIBE on the topic, READ on their consumer
   * groups ({@link KafkaAccess#READER_GROUP_PREFIXES}).
   */
  JOB("flowders-job", "job", Secret.KAFKA_JOB_PASSWORD);

  public static final String SECURITY_PROTOCOL = "SASL_PLAINTEXT";
  public static final String MECHANISM = "SCRAM-SHA-512";

  private final String user;
  private final String fileName;
  private final Secret secret;

  KafkaPrincipal(String user, String name, Secret secret) {
    this.user = user;
    this.fileName = name + ".properties";
    this.secret = secret;
  }

  /** The Kafka user name (the principal is {@code User:<name>}). */
  public String user() {
    return user;
  }

  /** Its client config file in {@code folder}. */
  public Path configFile(Path folder) {
    return folder.resolve(fileName);
  }

  public String password(Credentials credentials) {
    return credentials.get(secret);
  }

  /** Its Kafka client config: the lines of its properties file. */
  public Map<String, String> clientConfig(Credentials credentials) {
    return Map.of(
        "security.protocol",
        SECURITY_PROTOCOL,
        "sasl.mechanism",
        MECHANISM,
        "sasl.jaas.config",
        jaas("org.apache.kafka.common.security.scram.ScramLoginModule", password(credentials)));
  }

  /**
   * A JAAS entry of {@code loginModule} with this user's name and password (the passwords are
   * URL-safe Base64: nothing to escape).
   */
  String jaas(String loginModule, String password) {
    return loginModule + " required username=\"" + user + "\" password=\"" + password + "\";";
  }

  /** Writes each principal's client config file into {@code folder}, owner-only. */
  public static Map<KafkaPrincipal, Path> writeConfigs(Path folder, Credentials credentials) {
    Folders.create(folder);
    Map<KafkaPrincipal, Path> files = new EnumMap<>(KafkaPrincipal.class);
    for (KafkaPrincipal principal : values()) {
      StringBuilder text =
          new StringBuilder(
              "# Kafka client config of "
                  + principal.user
                  + ", written by ./flowders from "
                  + Credentials.FILE
                  + " at each start (owner-only).\n");
      new TreeMap<>(principal.clientConfig(credentials))
          .forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
      files.put(principal, Folders.write(principal.configFile(folder), text.toString()));
    }
    return files;
  }
}
