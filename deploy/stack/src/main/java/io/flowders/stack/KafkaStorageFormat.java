package io.flowders.stack;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Formats the storage of several KRaft nodes in one JVM. Kafka's StorageTool main exits after one
 * node, and a JVM that loads Kafka costs ~3 CPU-seconds on this kind of machine; its {@code
 * execute} method formats one node and returns. Runs on the Kafka runtime's classpath, found by
 * reflection so that this module needs no Kafka jar. Usage: {@code <cluster id>
 * <server.properties>...}.
 */
public final class KafkaStorageFormat {

  private KafkaStorageFormat() {}

  public static void main(String[] args) throws Throwable {
    Method execute =
        Class.forName("kafka.tools.StorageTool")
            .getMethod("execute", String[].class, PrintStream.class);
    for (int i = 1; i < args.length; i++) {
      try {
        int exit =
            (int)
                execute.invoke(
                    null, new String[] {"format", "-t", args[0], "-c", args[i]}, System.out);
        if (exit != 0) {
          System.exit(exit);
        }
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
    System.exit(0);
  }
}
