package io.hepaloop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.testing.ThreadDumpOnFailure;
import io.hepaloop.users.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * The audit viewer in a real browser: a setpoint the operator changes through the API is found by
 * an engineer with the viewer's filters, with its old and new value and reason, under a chain
 * verification that says intact; the API refuses the trail to an operator.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class AuditViewerIT {
  static final Duration LONG = Duration.ofSeconds(90);
  static final String ENGINEER = "erin";

  @TempDir Path dir;

  @Test
  void anEngineerFindsTheOperatorsSetpointChangeUnderAnIntactChain() throws Exception {
    try (ConsoleItSupport plant = ConsoleItSupport.start(dir, ConsoleItSupport.Options.defaults());
        ConsoleBrowser browser = ConsoleBrowser.open(plant.baseUrl())) {
      plant
          .security()
          .users()
          .add(
              ENGINEER,
              "Erin Engineer",
              Role.ENGINEER,
              ConsoleItSupport.PASSWORD.toCharArray(),
              false);
      ConsoleItSupport.ApiClient operator = plant.api(ConsoleItSupport.OPERATOR);
      String body = "{\"setpoint\":37.2,\"comment\":\"audit viewer IT: warmer, \\\"by 0.2\\\"\"}";
      await()
          .atMost(LONG)
          .until(
              () ->
                  operator.send("PUT", "/api/reactors/r1/loops/temperature/setpoint", body).status()
                      == 200);

      browser.login(ENGINEER, ConsoleItSupport.PASSWORD);
      browser.go("#/audit");
      browser.find("page-audit");
      browser.until(
          "the verification result",
          d -> "true".equals(browser.find("audit-verify").getAttribute("data-intact")));
      assertThat(browser.find("audit-verify-state").getText()).contains("intact");

      new Select(browser.find("audit-action")).selectByValue("setpoint");
      browser.find("audit-user").sendKeys(ConsoleItSupport.OPERATOR);
      browser.find("audit-target").sendKeys("r1");
      browser.find("audit-apply").click();
      // read the rows in one script: the table is replaced when the page reloads it
      @SuppressWarnings("unchecked")
      List<String> rows =
          browser.until(
              "the setpoint record",
              d -> {
                List<String> texts =
                    (List<String>)
                        browser.js(
                            "return [...document.querySelectorAll('[data-testid=audit-row]')]"
                                + ".map(r => r.dataset.action + '|' + r.innerText)");
                return !texts.isEmpty()
                        && texts.stream().allMatch(t -> t.startsWith("setpoint|"))
                        && texts.get(0).contains("37.2")
                    ? texts
                    : null;
              });
      assertThat(rows.get(0))
          .contains(ConsoleItSupport.OPERATOR)
          .contains("r1/temperature")
          .contains("→ 37.2 °C")
          .contains("audit viewer IT: warmer, \"by 0.2\"");
      assertThat(browser.find("audit-csv").getAttribute("href")).contains("/api/audit/export.csv");
      browser.screenshot("audit");

      // the trail is not the operator's to read
      assertThat(operator.get("/api/audit").status()).isEqualTo(403);
    }
  }
}
