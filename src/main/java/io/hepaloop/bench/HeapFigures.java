package io.hepaloop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.util.HashSet;
import java.util.Set;

/** Heap figures the benchmarks print. */
public final class HeapFigures {
  private HeapFigures() {}

  /**
   * Heap in use right after the most recent collection (young or old): what the process keeps
   * alive; -1 before the first collection. No System.gc(): a forced full GC on a busy 2-core
   * machine pauses long enough to trip OPC UA keep-alives.
   */
  public static long afterLastGcBytes() {
    com.sun.management.GcInfo last = null;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean sun
          && sun.getLastGcInfo() != null
          && (last == null || sun.getLastGcInfo().getEndTime() > last.getEndTime())) {
        last = sun.getLastGcInfo();
      }
    }
    if (last == null) {
      return -1;
    }
    Set<String> heapPools = new HashSet<>();
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    return last.getMemoryUsageAfterGc().entrySet().stream()
        .filter(e -> heapPools.contains(e.getKey()))
        .mapToLong(e -> e.getValue().getUsed())
        .sum();
  }
}
