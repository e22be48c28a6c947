package io.hepaloop.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for the console's tests: Debian's {@code /usr/bin/chromium} driven through
 * {@code /usr/bin/chromedriver}, both named explicitly so Selenium Manager never downloads a
 * browser or driver. 1280x800, the console's smallest desktop size. Screenshots go to {@code
 * target/console-screenshots/<name>.png}, where the build keeps them as test artifacts.
 *
 * <p>Waits are conditions with a generous timeout ({@link #DEFAULT_WAIT}), never sleeps: a loaded
 * machine renders late, not wrong.
 */
public final class ConsoleBrowser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final String baseUrl;

  private ConsoleBrowser(ChromeDriverService service, ChromeDriver driver, String baseUrl) {
    this.service = service;
    this.driver = driver;
    this.baseUrl = baseUrl;
  }

  /**
   * Starts chromium on {@code baseUrl} (the server, e.g. {@code http://127.0.0.1:8080}) at
   * 1280x800.
   *
   * @throws IllegalStateException naming the missing binary and how to install it
   */
  public static ConsoleBrowser open(String baseUrl) {
    return open(baseUrl, 1280, 800);
  }

  /** As {@link #open(String)} with another window size (tablet: 800x1280). */
  public static ConsoleBrowser open(String baseUrl, int width, int height) {
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        throw new IllegalStateException(
            p
                + " is missing: install Debian's chromium and chromium-driver"
                + " (./scripts/install-test-deps does)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=" + width + "," + height,
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--password-store=basic",
        "--disable-features=Translate,OptimizationHints,MediaRouter,PasswordLeakDetection");
    // A stable, named profile-less start; no downloads of drivers or browsers.
    options.setExperimentalOption("prefs", Map.of("credentials_enable_service", false));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withSilent(true)
            .build();
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    return new ConsoleBrowser(service, driver, baseUrl);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Opens the console at {@code hash} ("#/overview"); "" for its start page. */
  public void go(String hash) {
    driver.get(baseUrl + "/console/" + hash);
  }

  /** Opens any path of the server ("/console/js/app.js"). */
  public void get(String path) {
    driver.get(baseUrl + path);
  }

  /** Waits until an element with this {@code data-testid} is visible, and returns it. */
  public WebElement find(String testId) {
    return waitFor(By.cssSelector(byTestId(testId)));
  }

  /** Waits until {@code by} is visible, and returns it. */
  public WebElement waitFor(By by) {
    try {
      return new WebDriverWait(driver, DEFAULT_WAIT)
          .ignoring(StaleElementReferenceException.class)
          .until(ExpectedConditions.visibilityOfElementLocated(by));
    } catch (TimeoutException e) {
      throw new AssertionError("no visible " + by + "\n" + diagnosis(), e);
    }
  }

  /** Where the browser is, what the page says and what its console logged: for failures. */
  public String diagnosis() {
    StringBuilder out = new StringBuilder();
    try {
      out.append("at ").append(driver.getCurrentUrl()).append('\n');
      Object text = js("return document.body ? document.body.innerText : '(no body)'");
      out.append("page text: ").append(String.valueOf(text).replace('\n', '|')).append('\n');
      consoleLog().forEach(l -> out.append("console: ").append(l).append('\n'));
    } catch (RuntimeException e) {
      out.append("(browser unreadable: ").append(e).append(")");
    }
    return out.toString();
  }

  /**
   * Clicks the element with this test id once it is visible, again if the page re-rendered it
   * meanwhile (a list reloaded after an action replaces its rows).
   */
  public void click(String testId) {
    until(
        "click " + testId,
        d -> {
          try {
            find(testId).click();
            return true;
          } catch (StaleElementReferenceException e) {
            return false;
          }
        });
  }

  /** The elements with this test id present now (no wait). */
  public List<WebElement> all(String testId) {
    return driver.findElements(By.cssSelector(byTestId(testId)));
  }

  /** True when an element with this test id is present and displayed now (no wait). */
  public boolean visible(String testId) {
    return all(testId).stream().anyMatch(WebElement::isDisplayed);
  }

  /** Waits until the URL's hash starts with {@code hash}. */
  public void waitForHash(String hash) {
    until("hash " + hash, d -> hash().startsWith(hash));
  }

  /** The URL's hash now ("#/overview"). */
  public String hash() {
    String url = driver.getCurrentUrl();
    int i = url == null ? -1 : url.indexOf('#');
    return i < 0 ? "" : url.substring(i);
  }

  /** Logs in through the login page and waits for the overview. */
  public void login(String user, String password) {
    go("#/login");
    WebElement name = find("login-user");
    name.clear();
    name.sendKeys(user);
    WebElement pw = find("login-password");
    pw.clear();
    pw.sendKeys(password);
    find("login-submit").click();
    find("page-overview");
  }

  /**
   * Runs JavaScript in the page and returns its result (numbers as Long/Double, arrays as List).
   */
  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Waits for {@code condition} (evaluated on the driver) with the default timeout. */
  public <T> T until(String message, java.util.function.Function<ChromeDriver, T> condition) {
    try {
      // A page that re-renders (lists reloaded after an action) may replace an element while the
      // condition reads it: that is "not yet", not a failure.
      return new WebDriverWait(driver, DEFAULT_WAIT)
          .withMessage(message)
          .ignoring(StaleElementReferenceException.class)
          .until(d -> condition.apply((ChromeDriver) d));
    } catch (TimeoutException e) {
      throw new AssertionError(message + "\n" + diagnosis(), e);
    }
  }

  /** Saves a screenshot to {@code target/console-screenshots/<name>.png}; returns its path. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path to = SCREENSHOTS.resolve(name + ".png");
      Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, to, StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(shot);
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException("screenshot " + name, e);
    }
  }

  /** The browser console's messages so far (errors of the page's scripts among them). */
  public List<String> consoleLog() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::toString)
        .toList();
  }

  static String byTestId(String testId) {
    return "[data-testid=\"" + testId + "\"]";
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
