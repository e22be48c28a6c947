package io.hepaloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.telemetry.LocalInfluxd;
import io.hepaloop.testing.ThreadDumpOnFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reactor detail trends with a history store (the plant writes to a private influxd): the page
 * draws points read back from the history route and the deviation alarm's band around the setpoint;
 * the 1 h view appends live samples, the 24 h view only refetches its downsampled history; the
 * range buttons, a drag on the chart (zoom) and the pan buttons move the window away from live, and
 * "Live" follows again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class ReactorHistoryIT {
  static final String TREND = "trend-temperature";
  static final String FLOW = "trend-flow";
  @TempDir static Path dir;
  static ConsoleItSupport plant;
  ConsoleBrowser browser;

  @BeforeAll
  static void startPlant() throws Exception {
    Assumptions.assumeTrue(LocalInfluxd.isInstalled(), "influxd is installed");
    plant = ConsoleItSupport.start(dir, ConsoleItSupport.Options.defaults().withReactors(1), true);
  }

  @AfterAll
  static void stopPlant() {
    if (plant != null) {
      plant.close();
    }
  }

  @BeforeEach
  void openBrowser() {
    browser = ConsoleBrowser.open(plant.baseUrl(), 1280, 1000);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  private int attr(String testId, String name) {
    String v = browser.find(testId).getAttribute(name);
    return v == null || v.isBlank() ? 0 : Integer.parseInt(v);
  }

  @Test
  void historyIsDrawnAndTheWindowZoomsPansAndFollowsLiveAgain() {
    browser.login(ConsoleItSupport.OPERATOR, ConsoleItSupport.PASSWORD);
    // let the plant store some seconds of telemetry, then open the page: its first points come
    // from the history route
    browser.until(
        "stored telemetry",
        d ->
            plant
                    .api(ConsoleItSupport.OPERATOR)
                    .get("/api/reactors/r1/history?signals=temperature")
                    .body()
                    .matches("(?s).*\"points\":\\[\\[.*")
                ? true
                : null);
    browser.go("#/reactor/r1");
    browser.until(
        "the history note to name InfluxDB",
        d -> "influxdb".equals(browser.find("history-note").getAttribute("data-source")));
    browser.until("history points in the trend", d -> attr(TREND, "data-history-points") > 0);
    // the flow loop has a deviation alarm (flow_deviation, 0.2 mL/min): setpoint ± 0.2 as a band
    browser.until(
        "the deviation band on the flow trend", d -> attr(FLOW, "data-deviation-points") > 0);
    assertThat(attr(FLOW, "data-deviation-bands")).isEqualTo(1);
    assertThat(browser.find(FLOW).getAttribute("data-deviation-limit")).isEqualTo("0.2");
    // PV, setpoint, and the band's two edges (flow has no level alarm)
    assertThat(attr(FLOW, "data-series")).isEqualTo(4);
    assertThat(attr(TREND, "data-deviation-bands"))
        .as("temperature has no deviation alarm")
        .isZero();
    // the 1 h view appends the stream's samples to its history
    browser.until("live samples in the 1 h view", d -> attr(TREND, "data-live-points") > 0);

    browser.find("range-24h").click();
    browser.until(
        "24 h pressed", d -> "true".equals(browser.find("range-24h").getAttribute("aria-pressed")));
    assertThat(browser.find("trend-range").getText()).contains("now (live)");
    browser.until("points in the 24 h view", d -> attr(TREND, "data-points") > 0);
    // 24 h: downsampled history only, fetched again once a minute, no raw samples appended
    browser.until(
        "the 24 h history refetched every minute",
        d -> "60000".equals(browser.find("history-note").getAttribute("data-refetch-ms")));
    assertThat(attr(TREND, "data-live-points")).isZero();
    assertThat(attr(FLOW, "data-deviation-points")).isPositive();
    // a minute later the 24 h window has fetched its history again, still without raw samples
    int loads = attr("history-note", "data-loads");
    new WebDriverWait(browser.driver(), Duration.ofSeconds(90))
        .withMessage("the 24 h history fetched again within 90 s")
        .until(d -> attr("history-note", "data-loads") > loads);
    assertThat(attr(TREND, "data-live-points")).isZero();
    assertThat(attr(TREND, "data-history-points")).isPositive();

    // drag across the chart: zoom into that stretch, no longer live
    String before = browser.find("trend-range").getText();
    WebElement over = browser.find(TREND).findElement(By.cssSelector(".u-over"));
    new Actions(browser.driver())
        .moveToElement(over, -over.getSize().getWidth() / 4, 0)
        .clickAndHold()
        .moveByOffset(over.getSize().getWidth() / 3, 0)
        .release()
        .perform();
    browser.until("a zoomed window", d -> !browser.find("trend-range").getText().equals(before));
    assertThat(browser.find("trend-range").getText()).doesNotContain("now (live)");
    assertThat(browser.find("trend-live").isEnabled()).isTrue();

    String zoomed = browser.find("trend-range").getText();
    browser.find("trend-pan-back").click();
    browser.until("a panned window", d -> !browser.find("trend-range").getText().equals(zoomed));

    browser.find("trend-live").click();
    browser.until(
        "following live again", d -> browser.find("trend-range").getText().contains("now (live)"));
    browser.find("range-1h").click();
    browser.until("history points in the 1 h view", d -> attr(TREND, "data-history-points") > 0);
    browser.screenshot("reactor-detail-history");

    // the band runs along the setpoint of the history and of the live samples appended since
    browser.until("the band along the 1 h data", d -> attr(FLOW, "data-deviation-points") > 1);
    browser.js("arguments[0].scrollIntoView()", browser.find(FLOW));
    browser.screenshot("reactor-detail-deviation-band");
  }
}
