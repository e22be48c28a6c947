package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfluxdDirLockTest {
  @TempDir Path dir;

  @Test
  void aSecondHolderIsRefusedNamingTheDirectoryAndThisProcessUntilTheFirstReleases() throws Exception {
    long me = ProcessHandle.current().pid();
    try (InfluxdDirLock first = InfluxdDirLock.acquire(dir.resolve("influxd"))) {
      assertThat(Files.readString(dir.resolve("influxd").resolve(InfluxdDirLock.FILE_NAME)).trim()).isEqualTo(Long.toString(me));
      assertThatThrownBy(() -> InfluxdDirLock.acquire(dir.resolve("influxd")))
          .isInstanceOf(DataDirInUseException.class)
          .hasMessageContaining(dir.resolve("influxd").toString())
          .hasMessageContaining("pid " + me);
    }
    InfluxdDirLock.acquire(dir.resolve("influxd")).close();
  }
}
