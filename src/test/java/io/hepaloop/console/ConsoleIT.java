package io.hepaloop.console;

import static io.hepaloop.console.ConsoleItSupport.ADMIN;
import static io.hepaloop.console.ConsoleItSupport.OPERATOR;
import static io.hepaloop.console.ConsoleItSupport.PASSWORD;
import static io.hepaloop.console.ConsoleItSupport.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.testing.ThreadDumpOnFailure;
import io.hepaloop.users.Role;
import io.hepaloop.users.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser (headless Chromium) against a running plant of two simulated
 * reactors: an operator logs in, changes a setpoint from the overview and sees the value follow; a
 * sensor fault shows as BAD (never as a number) with its alarm on the tile and in the header; a
 * viewer gets no setpoint control and the API refuses the change anyway (403); an expired session
 * leads back to login; an admin manages users. Screenshots of login and overview (desktop and
 * tablet width) go to target/console-screenshots.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class ConsoleIT {
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
    browser = ConsoleBrowser.open(plant.baseUrl());
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void anOperatorChangesASetpointAndSeesTheValueFollowAndABadSensorNeverLooksGood() {
    browser.go("");
    browser.find("login-form");
    browser.screenshot("login");
    browser.login(OPERATOR, PASSWORD);
    assertThat(browser.find("who-user").getText()).isEqualTo("Otto Operator");
    assertThat(browser.find("who-role").getText()).isEqualToIgnoringCase("operator");
    assertThat(browser.visible("nav-users")).as("users page is for admins").isFalse();
    browser.until(
        "live values on both tiles",
        d -> numberIn("val-r1-flow") != null && numberIn("val-r2-temperature") != null);

    // The flow loop answers in seconds: a new setpoint from the tile, and the value follows it.
    browser.find("sp-button-r1").click();
    browser.find("confirm-dialog");
    new Select(browser.find("confirm-field-loopId")).selectByValue("flow");
    WebElement sp = browser.find("confirm-field-setpoint");
    sp.clear();
    sp.sendKeys("2.0");
    browser.find("confirm-reason").sendKeys("ConsoleIT: more medium");
    browser.find("confirm-ok").click();
    browser.until("SP 2.00 on the tile", d -> text("sp-r1-flow").equals("SP 2.00"));
    browser.until(
        "flow follows its new setpoint",
        d -> {
          Double v = numberIn("val-r1-flow");
          return v != null && v > 1.8;
        });
    assertThat(operatorSetpoint("r1", "flow")).isEqualTo(2.0);

    // A bad sensor: "BAD" where the number was, and its alarm on the tile and in the header.
    plant.reactor("r2").sensorBadQuality("do_outlet", true);
    try {
      browser.until(
          "do_outlet of r2 shown BAD",
          d -> "bad".equals(browser.find("val-r2-do_outlet").getAttribute("data-quality")));
      assertThat(text("val-r2-do_outlet")).contains("BAD").doesNotContainPattern("\\d");
      browser.until(
          "the BAD alarm on r2's tile", d -> text("tile-alarm-r2").contains("do_outlet_bad"));
      browser.until(
          "unacknowledged alarms counted in the header",
          d -> Integer.parseInt(browser.find("alarm-badge").getAttribute("data-count")) >= 1);
      browser.screenshot("overview");
      browser.driver().manage().window().setSize(new Dimension(800, 1200));
      browser.find("tile-r2");
      browser.screenshot("overview-tablet");
    } finally {
      plant.reactor("r2").sensorBadQuality("do_outlet", false);
    }
    assertThat(browser.consoleLog())
        .as("no script errors")
        .noneMatch(l -> l.contains("Uncaught") || l.contains("TypeError"));
  }

  @Test
  void aViewerSeesNoSetpointControlAndTheApiRefusesTheChange() {
    double before = operatorSetpoint("r1", "temperature");
    browser.login(VIEWER, PASSWORD);
    browser.find("tile-r1");
    browser.until("values on the tile", d -> numberIn("val-r1-temperature") != null);
    assertThat(browser.all("sp-button-r1")).as("no setpoint control for a viewer").isEmpty();
    assertThat(browser.visible("nav-users")).isFalse();
    assertThat(browser.visible("nav-audit")).isFalse();

    // The same request the operator's dialog sends, from the viewer's own session: refused.
    Object refused =
        browser
            .driver()
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "window.hepaloop.api.put('/api/reactors/r1/loops/temperature/setpoint',"
                    + " {setpoint: 38.5}).then(() => done('accepted'),"
                    + " e => done(e.status + ' ' + e.detail));");
    assertThat(String.valueOf(refused)).startsWith("403").contains("operator");
    assertThat(operatorSetpoint("r1", "temperature")).isEqualTo(before);

    browser.go("#/users");
    assertThat(browser.find("page-refused").getText()).contains("admin");
  }

  @Test
  void anExpiredSessionGoesBackToLogin() {
    browser.login(VIEWER, PASSWORD);
    browser.find("tile-r1");
    plant.advanceApiClock(Duration.ofMinutes(31)); // beyond the 30 min idle limit
    // The user comes back: a key press makes the console check its session.
    browser.find("main").sendKeys(Keys.SHIFT);
    browser.find("login-form");
    assertThat(browser.hash()).startsWith("#/login");
    assertThat(browser.find("login-notice").getText()).contains("expired");
    assertThat(browser.visible("app-header")).as("no header without a session").isFalse();
    // Logging in again returns to where the user was.
    browser.find("login-user").sendKeys(VIEWER);
    browser.find("login-password").sendKeys(PASSWORD);
    browser.find("login-submit").click();
    browser.find("tile-r1");
  }

  @Test
  void anAdminAddsAUserChangesTheRoleDisablesAndEnablesThem() {
    browser.login(ADMIN, PASSWORD);
    browser.find("nav-users").click();
    browser.find("user-row-" + OPERATOR);
    browser.find("user-add").click();
    fill(
        Map.of(
            "confirm-field-name", "newbie",
            "confirm-field-displayName", "New Bie",
            "confirm-field-password", "a fine long password"));
    new Select(browser.find("confirm-field-role")).selectByValue("operator");
    browser.find("confirm-ok").click();
    browser.find("user-row-newbie");
    assertThat(user("newbie").role()).isEqualTo(Role.OPERATOR);
    assertThat(user("newbie").mustChangePassword()).isTrue();

    new Select(browser.find("user-role-newbie")).selectByValue("engineer");
    browser.find("confirm-ok").click();
    browser.until("role changed", d -> user("newbie").role() == Role.ENGINEER);

    browser.click("user-disable-newbie");
    browser.find("confirm-ok").click();
    browser.until("disabled", d -> text("user-state-newbie").equals("Disabled"));
    assertThat(user("newbie").disabled()).isTrue();

    browser.click("user-enable-newbie");
    browser.find("confirm-ok").click();
    browser.until("enabled again", d -> !text("user-state-newbie").equals("Disabled"));
    assertThat(user("newbie").disabled()).isFalse();
    assertThat(browser.all("user-enable-newbie")).as("only disabled users have it").isEmpty();

    // A refusal is shown as the API worded it: the name is taken.
    browser.click("user-add");
    fill(
        Map.of(
            "confirm-field-name", "newbie",
            "confirm-field-displayName", "",
            "confirm-field-password", "another long password"));
    browser.find("confirm-ok").click();
    browser.until("the refusal shown", d -> text("toasts").contains("Conflict"));
    browser.screenshot("users");
  }

  private void fill(Map<String, String> fields) {
    fields.forEach(
        (id, value) -> {
          WebElement e = browser.find(id);
          e.clear();
          if (!value.isEmpty()) {
            e.sendKeys(value);
          }
        });
  }

  private String text(String testId) {
    List<WebElement> found = browser.all(testId);
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  /** The number shown in a value cell, or null when it shows none (missing, BAD). */
  private Double numberIn(String testId) {
    String t = text(testId);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?").matcher(t);
    return m.find() ? Double.valueOf(m.group()) : null;
  }

  private static User user(String name) {
    return plant.security().users().get(name);
  }

  /** The loop's operator setpoint, read over the API as the admin. */
  private static double operatorSetpoint(String reactorId, String loopId) {
    var r = plant.api(ADMIN).get("/api/reactors/" + reactorId + "/loops");
    JsonArray loops = new JsonArray(r.body());
    for (int i = 0; i < loops.size(); i++) {
      JsonObject l = loops.getJsonObject(i);
      if (l.getString("loopId").equals(loopId)) {
        return l.getJsonObject("settings").getDouble("setpoint");
      }
    }
    throw new AssertionError("no loop " + loopId + " in " + r.body());
  }
}
