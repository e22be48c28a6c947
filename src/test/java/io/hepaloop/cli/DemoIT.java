package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies the README's first promise: {@code ./hepaloop demo} starts four simulated reactors and the
 * controller over real OPC UA, shows live values with loop setpoints, and stops cleanly.
 */
class DemoIT {
  @TempDir Path dataDir;

  @Test
  @Timeout(120)
  void demoShowsFourConnectedReactorsUnderControlAndStopsCleanly() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DemoCommand demo = new DemoCommand();
    demo.out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new picocli.CommandLine(demo)
        .execute("--data-dir", dataDir.toString(), "--http-port", "0", "--no-influxd", "--refresh-ms", "300"));

    Pattern controlledRow = Pattern.compile("(?m)^r[1-4] +CONNECTED +3[67]\\.\\d\\d \\[37\\.0 AUTO\\].*\\d+\\.\\d\\d \\[1\\.0 AUTO\\]");
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      String out = buffer.toString(StandardCharsets.UTF_8);
      int last = out.lastIndexOf("HepaLoop — 4 reactors");
      return last >= 0 && controlledRow.matcher(out.substring(last)).results().count() == 4;
    });
    demo.stop.countDown();

    assertThat(exit.get()).isZero();
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("HepaLoop demo: stopped.").contains("plant config: ");
    assertThat(Files.readString(dataDir.resolve("hepaloop.yaml"))).contains("id: r4");
    assertThat(dataDir.resolve("spool")).isDirectory();
  }
}
