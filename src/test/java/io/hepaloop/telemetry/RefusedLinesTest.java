package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quarantine.lp stays bounded over a month of refusals and keeps the newest ones. */
class RefusedLinesTest {
  @TempDir Path dir;

  @Test
  void thirtyDaysOfARefusalEverySecondStayWithinTwoFiles() throws Exception {
    long maxBytes = 64 * 1024;
    RefusedLines lines = new RefusedLines(dir.resolve("quarantine.lp"), maxBytes);
    // a bad value every second for 30 days, scaled down 1000 times (2,592 refusals) with a
    // cap 1000 times smaller than the default: the same number of rotations per byte written
    int refusals = 30 * 86_400 / 1000;
    for (int i = 0; i < refusals; i++) {
      lines.append(
          "2026-01-01T00:00:00Z HTTP 400 partial write: field type conflict",
          "sample,reactor=r1,signal=temperature value=\"bad" + i + "\" " + i);
      assertThat(Files.size(dir.resolve("quarantine.lp"))).isLessThanOrEqualTo(maxBytes);
    }
    Path previous = dir.resolve("quarantine.lp.1");
    assertThat(Files.size(previous)).isLessThanOrEqualTo(maxBytes);
    assertThat(lines.rotations()).isGreaterThan(1);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("quarantine.lp", "quarantine.lp.1");
    }
    // the newest refusal is in the current file, the one before the last rotation in .1
    assertThat(Files.readString(dir.resolve("quarantine.lp")))
        .endsWith("value=\"bad" + (refusals - 1) + "\" " + (refusals - 1) + "\n");
    String older = Files.readString(previous);
    assertThat(older).startsWith("# 2026-01-01T00:00:00Z HTTP 400");
    assertThat(older).doesNotContain("bad" + (refusals - 1) + "\"");
  }

  @Test
  void aRefusalNeverSplitsFromItsReason() throws Exception {
    RefusedLines lines = new RefusedLines(dir.resolve("quarantine.lp"), 100);
    lines.append("reason one", "x".repeat(60));
    lines.append("reason two", "y".repeat(60));
    assertThat(Files.readString(dir.resolve("quarantine.lp")))
        .isEqualTo("# reason two\n" + "y".repeat(60) + "\n");
    assertThat(Files.readString(dir.resolve("quarantine.lp.1")))
        .isEqualTo("# reason one\n" + "x".repeat(60) + "\n");
    assertThatThrownBy(() -> new RefusedLines(dir.resolve("q"), 0))
        .hasMessageContaining("maxBytes must be positive");
  }
}
