package io.hepaloop.console;

import static io.hepaloop.console.ConsoleItSupport.PASSWORD;
import static io.hepaloop.console.ConsoleItSupport.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.testing.ThreadDumpOnFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview keeps up with 64 reactors: in the browser, the time from a sample's arrival on the
 * EventSource to its tile's DOM update (both {@code performance.now()}, recorded by the page in
 * {@code window.hepaloopOverviewLatencyMs}) over at least {@value #SAMPLES} samples. Prints count,
 * p50, p99 and max; the bound on p99 is only a sanity check (a tile that waited for several frames,
 * or a page that fell seconds behind), the figures are the result.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class OverviewLatencyIT {
  static final int REACTORS = 64;

  /** About 10 s of samples: one per reactor per second. */
  static final int SAMPLES = REACTORS * 10;

  /**
   * Far above a frame (17 ms): only a page that stalls for seconds fails it. On a machine shared
   * with other builds (load average far above its cores) the browser gets little CPU and p99
   * reaches about a second; the figures printed, with the load, are the result.
   */
  static final double P99_BOUND_MS = 2500;

  @TempDir Path dir;

  @Test
  void sixtyFourTilesUpdateWithinAFrameOrTwoOfTheirSamples() throws Exception {
    try (ConsoleItSupport plant =
            ConsoleItSupport.start(
                dir, ConsoleItSupport.Options.defaults().withReactors(REACTORS));
        ConsoleBrowser browser = ConsoleBrowser.open(plant.baseUrl())) {
      browser.login(VIEWER, PASSWORD);
      browser.find("tile-r64");
      browser.until(
          "values on all " + REACTORS + " tiles",
          d ->
              ((Number)
                          browser.js(
                              "return [...document.querySelectorAll('[data-testid^=\"val-\"]"
                                  + "[data-testid$=\"-temperature\"]')]"
                                  + ".filter(e => /\\d/.test(e.textContent)).length"))
                      .intValue()
                  == REACTORS);
      browser.js("window.hepaloopOverviewLatencyMs.length = 0");
      long t0 = System.nanoTime();
      browser.until(
          SAMPLES + " samples measured",
          d ->
              ((Number) browser.js("return window.hepaloopOverviewLatencyMs.length")).intValue()
                  >= SAMPLES);
      double seconds = (System.nanoTime() - t0) / 1e9;
      @SuppressWarnings("unchecked")
      List<Object> raw =
          (List<Object>) browser.js("return window.hepaloopOverviewLatencyMs.slice()");
      browser.screenshot("overview-64");
      List<Double> ms = new ArrayList<>();
      raw.forEach(o -> ms.add(((Number) o).doubleValue()));
      Collections.sort(ms);
      double p50 = percentile(ms, 50);
      double p99 = percentile(ms, 99);
      double max = ms.get(ms.size() - 1);
      System.out.printf(
          "OverviewLatencyIT: %d reactors, %d samples in %.1f s; arrival on SSE -> tile updated:"
              + " p50 %.1f ms, p99 %.1f ms, max %.1f ms (load average %s on %d cores)%n",
          REACTORS,
          ms.size(),
          seconds,
          p50,
          p99,
          max,
          loadAverage(),
          Runtime.getRuntime().availableProcessors());
      assertThat(ms).hasSizeGreaterThanOrEqualTo(SAMPLES);
      assertThat(p99).as("p99 ms").isLessThan(P99_BOUND_MS);
    }
  }

  /** The 1-minute load average (Linux), for reading the figures; "?" elsewhere. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
