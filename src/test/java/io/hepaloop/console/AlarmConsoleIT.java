package io.hepaloop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.testing.ThreadDumpOnFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * The alarm console in a real browser against a running plant: faults injected in the simulator
 * raise alarms that appear in the console with their rationale, a critical one announced by the
 * banner; the operator acknowledges them from the console and the API says they are acknowledged.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class AlarmConsoleIT {
  static final Duration LONG = Duration.ofSeconds(90);
  static final String R = "r1";

  @TempDir Path dir;

  @Test
  void aFaultsAlarmAppearsAndIsAcknowledgedFromTheConsole() throws Exception {
    try (ConsoleItSupport plant = ConsoleItSupport.start(dir, ConsoleItSupport.Options.defaults());
        ConsoleBrowser browser = ConsoleBrowser.open(plant.baseUrl())) {
      ConsoleItSupport.ApiClient api = plant.api(ConsoleItSupport.VIEWER);
      ConsoleItSupport.ApiClient operator = plant.api(ConsoleItSupport.OPERATOR);
      await()
          .atMost(LONG)
          .until(
              () ->
                  new JsonObject(api.get("/api/reactors/" + R).body())
                      .getJsonObject("link")
                      .getString("state")
                      .equals("CONNECTED"));
      // a slow start may have left a stale-value alarm to acknowledge: start from normal
      for (String id : new String[] {"do_outlet_bad", "temperature_high_high"}) {
        await().atMost(LONG).until(() -> normal(api, operator, id));
      }

      browser.login(ConsoleItSupport.OPERATOR, ConsoleItSupport.PASSWORD);
      browser.go("#/alarms");
      browser.find("page-alarms");
      browser.find("alarms-table");

      // a bad outlet oxygen probe (high priority) and a temperature spike (critical)
      plant.reactor(R).sensorBadQuality("do_outlet", true);
      plant.reactor(R).sensorSpike("temperature", 5, 600);
      String correctiveAction =
          alarm(api, "do_outlet_bad").getJsonObject("rationale") == null
              ? ""
              : alarm(api, "do_outlet_bad")
                  .getJsonObject("rationale")
                  .getString("correctiveAction");
      // the table is re-rendered as alarm events arrive: read and click through fresh elements
      fresh(
          browser,
          "the unacknowledged bad-probe alarm with its corrective action",
          () -> {
            WebElement bad = row(browser, "do_outlet_bad");
            return "UNACK_ACTIVE".equals(bad.getAttribute("data-state"))
                && bad.findElement(By.cssSelector("[data-testid=alarm-state]"))
                    .getText()
                    .contains("unacknowledged")
                && (correctiveAction.isEmpty()
                    || bad.findElement(By.cssSelector("[data-testid=alarm-rationale]"))
                        .getText()
                        .contains(correctiveAction));
          });

      fresh(
          browser,
          "the critical alarm marked",
          () ->
              row(browser, "temperature_high_high").getAttribute("class").contains("al-critical"));
      assertThat(browser.find("critical-banner").getText())
          .contains("CRITICAL")
          .contains("temperature_high_high");
      // sorted by priority: a critical alarm is the first row
      assertThat(
              browser.js(
                  "return document.querySelector('[data-testid=alarm-row]').dataset.priority"))
          .isEqualTo("CRITICAL");
      browser.screenshot("alarms");

      // acknowledge the critical one from the banner, the other from its row
      fresh(
          browser,
          "acknowledge from the banner",
          () -> {
            browser.find("ack-critical").click();
            return true;
          });
      await()
          .atMost(LONG)
          .until(() -> acknowledged(alarm(api, "temperature_high_high").getString("state")));
      browser.until(
          "banner gone after the acknowledgement", d -> !browser.visible("critical-banner"));
      dismissToasts(browser);
      fresh(
          browser,
          "acknowledge from the row",
          () -> {
            row(browser, "do_outlet_bad")
                .findElement(By.cssSelector("[data-testid=alarm-ack]"))
                .click();
            return true;
          });
      await()
          .atMost(LONG)
          .until(() -> "ACK_ACTIVE".equals(alarm(api, "do_outlet_bad").getString("state")));
      fresh(
          browser,
          "row shows the acknowledgement",
          () -> "ACK_ACTIVE".equals(row(browser, "do_outlet_bad").getAttribute("data-state")));
      JsonObject acked = alarm(api, "do_outlet_bad");
      assertThat(acked.getString("acknowledgedBy")).isEqualTo(ConsoleItSupport.OPERATOR);
    }
  }

  /** Waits until {@code check} holds, trying again when an element it held was replaced. */
  private static void fresh(
      ConsoleBrowser browser, String what, java.util.function.BooleanSupplier check) {
    browser.until(
        what,
        d -> {
          try {
            return check.getAsBoolean() ? Boolean.TRUE : null;
          } catch (StaleElementReferenceException e) {
            return null;
          }
        });
  }

  /** Closes the messages in the corner, as a user would before clicking what they cover. */
  private static void dismissToasts(ConsoleBrowser browser) {
    for (WebElement close : browser.driver().findElements(By.cssSelector(".toast-close"))) {
      if (close.isDisplayed()) {
        close.click();
      }
    }
  }

  /** True when the alarm is normal; acknowledges it when it waits for that. */
  private static boolean normal(
      ConsoleItSupport.ApiClient viewer, ConsoleItSupport.ApiClient operator, String alarmId) {
    String state = alarm(viewer, alarmId).getString("state");
    if ("RTN_UNACK".equals(state) || "UNACK_ACTIVE".equals(state)) {
      operator.send(
          "POST",
          "/api/alarms/acknowledge",
          new JsonObject()
              .put(
                  "alarms",
                  new JsonArray().add(new JsonObject().put("reactorId", R).put("alarmId", alarmId)))
              .put("comment", "before the test")
              .encode());
    }
    return "NORMAL".equals(state);
  }

  /** Acknowledged: still active, or cleared since (a spike ends). */
  private static boolean acknowledged(String state) {
    return "ACK_ACTIVE".equals(state) || "NORMAL".equals(state);
  }

  private static WebElement row(ConsoleBrowser browser, String alarmId) {
    return browser.waitFor(
        By.cssSelector(
            "[data-testid=alarm-row][data-reactor=\"" + R + "\"][data-alarm=\"" + alarmId + "\"]"));
  }

  private static JsonObject alarm(ConsoleItSupport.ApiClient api, String alarmId) {
    ConsoleItSupport.ApiClient.Response r = api.get("/api/alarms?reactor=" + R);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonArray all = new JsonArray(r.body());
    for (int i = 0; i < all.size(); i++) {
      if (alarmId.equals(all.getJsonObject(i).getString("alarmId"))) {
        return all.getJsonObject(i);
      }
    }
    throw new AssertionError("no alarm " + alarmId + " in " + r.body());
  }
}
