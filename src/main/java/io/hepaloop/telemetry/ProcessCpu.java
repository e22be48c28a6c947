package io.hepaloop.telemetry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of this JVM and of another process (Linux /proc), for benchmarks that print CPU use. */
public final class ProcessCpu {
  private ProcessCpu() {}

  /** CPU nanoseconds used by this JVM so far. */
  public static long selfNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** CPU nanoseconds (user + system) used by process {@code pid}, from /proc; -1 when unknown. */
  public static long ofPidNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return ticks * 10_000_000L; // USER_HZ = 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
