package io.hepaloop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.testing.ThreadDumpOnFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The runs page in a real browser against a running plant: the operator creates a run of the
 * shipped recipe with its construct, starts it, and the run page shows it running in its first
 * phase with the recipe's prompt, as the API has it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class RunsPageIT {
  static final Duration LONG = Duration.ofSeconds(90);
  static final String RECIPE = "hepatocyte-perfusion-standard";

  @TempDir Path dir;

  @Test
  void anOperatorCreatesAndStartsARunOfTheShippedRecipe() throws Exception {
    try (ConsoleItSupport plant = ConsoleItSupport.start(dir, ConsoleItSupport.Options.defaults());
        ConsoleBrowser browser = ConsoleBrowser.open(plant.baseUrl())) {
      ConsoleItSupport.ApiClient api = plant.api(ConsoleItSupport.VIEWER);
      browser.login(ConsoleItSupport.OPERATOR, ConsoleItSupport.PASSWORD);
      browser.go("#/runs");
      browser.find("page-runs");
      browser.find("run-new").click();
      new Select(browser.find("run-reactor")).selectByValue("r1");
      WebElement recipe = browser.find("run-recipe");
      if (recipe.getTagName().equals("select")) {
        new Select(recipe).selectByValue(RECIPE);
      } else {
        recipe.sendKeys(RECIPE); // no recipe list in this build: the file name is typed
      }
      new Select(browser.find("run-cell-source")).selectByValue("primary_hepatocytes");
      browser.find("run-cellSourceDetail").sendKeys("rat, donor 7");
      browser.find("run-cellsSeeded").sendKeys("5000000");
      browser.find("run-scaffold").sendKeys("collagen sponge, 5 mm");
      browser.find("run-medium").sendKeys("William's E + 10 % FBS");
      browser.find("run-create-ok").click();
      browser.waitForHash("#/runs/r1-");
      String runId = browser.hash().substring("#/runs/".length());
      browser.until("the new run, idle", d -> "IDLE".equals(runState(browser)));
      assertThat(browser.find("run-head").getText())
          .contains(RECIPE)
          .contains("collagen sponge, 5 mm")
          .contains("rat, donor 7");

      browser.find("run-start").click();
      browser.find("confirm-reason").sendKeys("construct seeded at 08:00");
      browser.find("confirm-ok").click();
      await()
          .atMost(LONG)
          .until(
              () ->
                  "RUNNING"
                      .equals(
                          new JsonObject(api.get("/api/runs/" + runId).body()).getString("state")));
      browser.until("the run page shows it running", d -> "RUNNING".equals(runState(browser)));
      // read in scripts: the run page re-renders as the run's events arrive
      browser.until(
          "the first phase, the recipe's prompt and the run's events",
          d ->
              Boolean.TRUE.equals(
                  browser.js(
                      "const p = document.querySelector('[data-testid=run-phase-item]');"
                          + " const q = document.querySelector('[data-testid=run-prompt]');"
                          + " return !!p && p.dataset.phase === 'attachment'"
                          + " && !!q && q.textContent.includes('Construct seeded')"
                          + " && !!document.querySelector('[data-testid=run-event]');")));
      browser.screenshot("runs");

      browser.go("#/runs");
      browser.waitFor(
          By.cssSelector("[data-testid=run-row][data-run=\"" + runId + "\"][data-state=RUNNING]"));
    }
  }

  private static String runState(ConsoleBrowser browser) {
    Object s =
        browser.js(
            "const e = document.querySelector('[data-testid=run-head] [data-testid=run-state]');"
                + " return e ? e.textContent : null;");
    return s == null ? null : s.toString();
  }
}
