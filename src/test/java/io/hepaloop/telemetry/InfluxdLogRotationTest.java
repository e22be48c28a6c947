package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that the private influxd's log stays bounded across the restarts of a weeks-long run.
 */
class InfluxdLogRotationTest {
  @TempDir Path dir;

  @Test
  void aLogOverTheLimitMovesAsideAtStartAndOnlyOneOldLogIsKept() throws Exception {
    Path log = dir.resolve("influxd.log");
    Files.writeString(log, "small\n");
    LocalInfluxd.rotateLog(log, 100);
    assertThat(log).hasContent("small");
    assertThat(dir.resolve("influxd.log.1")).doesNotExist();

    // thirty days of restarts, each leaving more than the limit behind
    for (int day = 1; day <= 30; day++) {
      Files.writeString(log, ("day " + day + " ").repeat(20));
      LocalInfluxd.rotateLog(log, 100);
      assertThat(log).doesNotExist();
      assertThat(dir.resolve("influxd.log.1")).content().startsWith("day " + day + " ");
    }
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(1);
    }
  }

  @Test
  void noLogYetIsNothingToRotate() throws Exception {
    LocalInfluxd.rotateLog(dir.resolve("influxd.log"), 100);
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
