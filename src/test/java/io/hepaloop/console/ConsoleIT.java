package io.hepaloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.testing.ThreadDumpOnFailure;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real browser (headless Chromium) against a running plant with simulated
 * reactors: logging in, live values on the overview, what a viewer may not do (in the page and at
 * the API), and an expired session leading back to login.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
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
  void logsInAndSeesTheOverview() {
    browser.go("");
    browser.find("login-form");
    browser.screenshot("login");
    browser.login(ConsoleItSupport.OPERATOR, ConsoleItSupport.PASSWORD);
    assertThat(browser.find("who-user").getText()).isEqualTo("Otto Operator");
    assertThat(browser.find("who-role").getText()).isEqualToIgnoringCase("operator");
    browser.find("tile-r1");
    browser.screenshot("overview");
  }
}
