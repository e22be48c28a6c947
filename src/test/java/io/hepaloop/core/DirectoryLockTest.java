package io.hepaloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
  @TempDir Path dir;

  @Test
  void aSecondHolderIsRefusedNamingTheDirectoryAndThisProcessUntilTheFirstReleases()
      throws Exception {
    long me = ProcessHandle.current().pid();
    try (DirectoryLock first =
        DirectoryLock.acquire(dir.resolve("influxd"), "x.lock", "the test data")) {
      assertThat(Files.readString(dir.resolve("influxd").resolve("x.lock")).trim())
          .isEqualTo(Long.toString(me));
      assertThatThrownBy(
              () -> DirectoryLock.acquire(dir.resolve("influxd"), "x.lock", "the test data"))
          .isInstanceOf(DirectoryInUseException.class)
          .hasMessageContaining(dir.resolve("influxd").toString())
          .hasMessageContaining("the test data")
          .hasMessageContaining("pid " + me);
    }
    DirectoryLock.acquire(dir.resolve("influxd"), "x.lock", "the test data").close();
  }
}
