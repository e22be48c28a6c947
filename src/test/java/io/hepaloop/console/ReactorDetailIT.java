package io.hepaloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.testing.ThreadDumpOnFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * The reactor detail page in a real browser against a running plant with simulated reactors: the
 * operator sees the PV move, changes a setpoint with a reason (the faceplate shows it, the audit
 * trail records it with the reason), an out-of-range setpoint is refused with the API's own words,
 * the trends fill from the stream and say there is no history store (live data only), and a viewer
 * sees no controls.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class ReactorDetailIT {
  static final String LOOP = "temperature";
  @TempDir static Path dir;
  static ConsoleItSupport plant;
  ConsoleBrowser browser;

  @BeforeAll
  static void startPlant() throws Exception {
    plant = ConsoleItSupport.start(dir, ConsoleItSupport.Options.defaults());
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

  private void openReactor(String user) {
    browser.login(user, ConsoleItSupport.PASSWORD);
    browser.go("#/reactor/r1");
    browser.find("faceplate-" + LOOP);
  }

  private String valueOf(String testId) {
    return browser.find(testId).getAttribute("data-value");
  }

  @Test
  void anOperatorChangesASetpointWithAReasonAndItIsAudited() {
    openReactor(ConsoleItSupport.OPERATOR);
    // the PV moves (the simulated reactor is noisy and every sample reaches the page)
    String first = browser.until("a first PV", d -> emptyToNull(valueOf("pv-" + LOOP)));
    browser.until("the PV to move from " + first, d -> !first.equals(valueOf("pv-" + LOOP)));
    assertThat(browser.find("pv-" + LOOP).getAttribute("data-quality")).isEqualTo("good");

    double before =
        Double.parseDouble(browser.until("a setpoint", d -> emptyToNull(valueOf("sp-" + LOOP))));
    double wanted = before + 0.5 <= 39.0 ? before + 0.5 : before - 0.5;
    String reason = "IT: warm the construct by half a degree";
    changeSetpoint(Double.toString(wanted), reason);
    browser.until(
        "the faceplate to show setpoint " + wanted,
        d ->
            Double.toString(wanted)
                .equals(Double.toString(Double.parseDouble(valueOf("sp-" + LOOP)))));
    assertThat(browser.find("sp-" + LOOP).getText())
        .contains(String.valueOf(wanted).replace(".0", ""));
    assertThat(browser.visible("refusal-" + LOOP)).isFalse();

    // the audit trail holds the change, by whom, with the reason
    List<String> audited =
        browser.until(
            "the setpoint change in the audit trail",
            d -> {
              List<String> rows = auditRows(reason);
              return rows.isEmpty() ? null : rows;
            });
    assertThat(audited.get(0)).contains(ConsoleItSupport.OPERATOR).contains(String.valueOf(wanted));

    // trends fill from the stream; without InfluxDB the page says it has live data only
    browser.until(
        "live points in the trend",
        d -> Integer.parseInt(browser.find("trend-" + LOOP).getAttribute("data-points")) >= 3);
    assertThat(browser.find("history-note").getText()).contains("Live data only");
    browser.find("range-24h").click();
    browser.find("range-1h").click();
    browser.screenshot("reactor-detail");

    // out of range: refused by the API, and the page shows the API's own words
    ConsoleItSupport.ApiClient.Response direct =
        plant
            .api(ConsoleItSupport.OPERATOR)
            .send(
                "PUT",
                "/api/reactors/r1/loops/" + LOOP + "/setpoint",
                new JsonObject().put("setpoint", 45.0).encode());
    assertThat(direct.status()).isEqualTo(422);
    String detail = new JsonObject(direct.body()).getString("detail");
    changeSetpoint("45", "IT: far too warm");
    WebElement refusal = browser.find("refusal-" + LOOP);
    assertThat(refusal.getText()).contains(detail);
    assertThat(Double.parseDouble(valueOf("sp-" + LOOP))).isEqualTo(wanted);
  }

  @Test
  void aViewerSeesTheFaceplatesWithoutControls() {
    openReactor(ConsoleItSupport.VIEWER);
    browser.find("view-only");
    browser.until("a PV", d -> emptyToNull(valueOf("pv-" + LOOP)));
    assertThat(browser.all("ctl-sp-" + LOOP)).isEmpty();
    assertThat(browser.all("ctl-mode-" + LOOP)).isEmpty();
    assertThat(browser.all("ctl-out-" + LOOP)).isEmpty();
    assertThat(browser.find("mode-" + LOOP).getText()).isNotBlank();
  }

  private void changeSetpoint(String value, String reason) {
    browser.find("ctl-sp-" + LOOP).click();
    browser.find("confirm-dialog");
    WebElement field = browser.find("confirm-field-setpoint");
    field.clear();
    field.sendKeys(value);
    browser.find("confirm-reason").sendKeys(reason);
    browser.find("confirm-ok").click();
    browser.until("the dialog to close", d -> browser.all("confirm-dialog").isEmpty());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Audit records whose reason is {@code reason}: "user action target old new". */
  private static List<String> auditRows(String reason) {
    return plant
        .store()
        .read(
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT user_name, action, target, old_value, new_value FROM audit_records"
                          + " WHERE reason = ? ORDER BY seq")) {
                s.setString(1, reason);
                try (ResultSet r = s.executeQuery()) {
                  while (r.next()) {
                    out.add(
                        String.join(
                            " ",
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            String.valueOf(r.getString(4)),
                            String.valueOf(r.getString(5))));
                  }
                }
              }
              return out;
            });
  }
}
