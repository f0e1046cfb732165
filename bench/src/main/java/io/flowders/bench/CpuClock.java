package io.flowders.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds the whole machine spent (every process: the job, the brokers serving it, the S3
 * server), from /proc/stat. On 2 shared cores, CPU per million orders compares runs fairly where
 * wall time does not.
 */
final class CpuClock {

  /** USER_HZ: the unit of /proc/stat on Linux, 100 on every architecture the JDK runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private static final Path STAT = Path.of("/proc/stat");

  private CpuClock() {}

  /**
   * Busy CPU seconds since boot (user, nice, system, irq, softirq, steal), NaN where /proc is
   * absent.
   */
  static double busySeconds() {
    if (!Files.isReadable(STAT)) {
      return Double.NaN;
    }
    try {
      String[] fields = Files.readAllLines(STAT).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(fields[i]);
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
