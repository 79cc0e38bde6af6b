package io.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.realtime.app.config.ConfigParser;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dev-mode demo app in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, never Selenium Manager) against the server on a free port: the four
 * flows end to end in two windows, the console free of errors, a screenshot per flow in
 * {@code target/screenshots/}. Without Chromium the test is skipped, except under
 * {@code CI=true}, where that is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoBrowserTest {
  // Debian's packages; the properties exist to check the skip path without uninstalling them
  private static final File CHROMIUM =
      new File(System.getProperty("realtime.chromium", "/usr/bin/chromium"));
  private static final File CHROMEDRIVER =
      new File(System.getProperty("realtime.chromedriver", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private Main.Running server;
  private ChromeDriver driver;
  private Path profile;
  private String first;
  private String second;
  private final List<String> consoleErrors = new ArrayList<>();

  @BeforeAll
  void start() throws IOException {
    if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
      String why = "headless Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
          + "): apt-get install -y chromium chromium-driver";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true and " + why);
      }
      Assumptions.abort("skipped: " + why);
    }
    server = Main.start(ConfigParser.parse(Map.of("REALTIME_HOST", "127.0.0.1"),
        new String[] {"--port=0"}));
    profile = Files.createTempDirectory("realtime-chromium");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=1280,1100",
            "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build(), options);
    Files.createDirectories(SCREENSHOTS);

    driver.get(base() + "/");
    first = driver.getWindowHandle();
    awaitConnected();
    driver.switchTo().newWindow(WindowType.WINDOW);
    driver.get(base() + "/");
    second = driver.getWindowHandle();
    awaitConnected();
  }

  @AfterAll
  void stop() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void notificationsReachEveryWindowOfTheUser() {
    window(second);
    WebElement text = driver.findElement(By.id("notify-text"));
    text.clear();
    text.sendKeys("Order 42 has shipped");
    click("notify");
    awaitText("notifications", "Order 42 has shipped");
    window(first);
    awaitText("notifications", "Order 42 has shipped");
    screenshot("1-notifications");
    assertConsoleClean();
  }

  @Test
  @Order(2)
  void dashboardMetricsArePushedToTheRole() {
    window(first);
    click("push-metrics");
    waitUntil(d -> text("metric-cpu").endsWith("%"));
    assertTrue(text("metric-rps").matches("\\d+"), text("metric-rps"));
    window(second); // same role, so it got them too
    waitUntil(d -> text("metric-cpu").endsWith("%"));
    window(first);
    screenshot("2-dashboard");
    assertConsoleClean();
  }

  @Test
  @Order(3)
  void jobProgressGoesToOneConnectionOnly() {
    window(first);
    click("start-job");
    waitUntil(d -> text("job-status").endsWith("done"));
    assertEquals("100", driver.findElement(By.id("job-progress")).getDomProperty("value"));
    screenshot("3-job-progress");
    window(second);
    assertEquals("idle", text("job-status"), "the other window of the same user saw nothing");
    assertConsoleClean();
  }

  @Test
  @Order(4)
  void chatShowsPresenceAndRecoversMissedMessages() {
    // the second window becomes bob: the same client reconnects as another user
    window(second);
    WebElement user = driver.findElement(By.id("user"));
    user.clear();
    user.sendKeys("bob");
    click("connect");
    waitUntil(d -> text("notify-user").equals("bob")
        && "connected".equals(text("state")));
    window(first);
    waitUntil(d -> items("presence").containsAll(List.of("alice", "bob")));
    say("hello from alice");
    window(second);
    awaitText("chat-messages", "alice: hello from alice");

    window(first);
    click("disconnect");
    waitUntil(d -> "disconnected".equals(text("state")));
    window(second);
    say("sent while alice was away");
    awaitText("chat-messages", "bob: sent while alice was away");
    window(first);
    assertTrue(!text("chat-messages").contains("while alice was away"));
    click("connect");
    awaitText("chat-messages", "bob: sent while alice was away");
    waitUntil(d -> text("recovery").contains("recovered: true")
        && text("recovery").contains("1 replayed"));
    assertEquals(1, driver.findElements(By.cssSelector("#chat-messages li.replayed")).size());
    screenshot("4-chat-recovery");
    click("connect"); // connect while connected: nothing
    click("connect");
    assertEquals(2, serverConnections(), "one socket per page, ever");
    assertConsoleClean();
  }

  // --- helpers ---

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private void awaitConnected() {
    waitUntil(d -> "connected".equals(text("state"))
        && !"none".equals(text("connection-id")));
  }

  /** Waits for {@code condition}; a timeout names the page's state and its log. */
  private void waitUntil(Function<WebDriver, Boolean> condition) {
    new WebDriverWait(driver, WAIT).withMessage(() -> "page state " + text("state")
        + ", recovery '" + text("recovery") + "', log:\n" + String.join("\n", items("log")))
        .until(condition);
  }

  private void window(String handle) {
    collectConsole();
    driver.switchTo().window(handle);
  }

  private void click(String id) {
    driver.findElement(By.id(id)).click();
  }

  private void say(String message) {
    WebElement input = driver.findElement(By.id("chat-input"));
    input.clear();
    input.sendKeys(message);
    click("chat-send");
  }

  private String text(String id) {
    return driver.findElement(By.id(id)).getText().strip();
  }

  private List<String> items(String listId) {
    return driver.findElements(By.cssSelector("#" + listId + " li")).stream()
        .map(e -> e.getText().strip()).toList();
  }

  private void awaitText(String listId, String expected) {
    waitUntil(d -> items(listId).stream()
        .anyMatch(t -> t.contains(expected)));
  }

  /** Open connections as the server counts them (GET /api/v1/stats with an admin dev token). */
  private int serverConnections() {
    try {
      HttpClient http = HttpClient.newHttpClient();
      String minted = http.send(HttpRequest.newBuilder(URI.create(base() + "/dev/token"))
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"sub\":\"test\",\"permissions\":[\"realtime:admin\"]}")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      String token = minted.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
      String stats = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/stats"))
          .header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      return Integer.parseInt(stats.replaceAll(".*\"connections\":(\\d+).*", "$1"));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void screenshot(String name) {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    try {
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new AssertionError("cannot keep the screenshot " + name, e);
    }
  }

  private void collectConsole() {
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
        consoleErrors.add(entry.getMessage());
      }
    }
  }

  private void assertConsoleClean() {
    String current = driver.getWindowHandle();
    for (String handle : List.of(first, second)) {
      driver.switchTo().window(handle);
      collectConsole();
    }
    driver.switchTo().window(current);
    assertEquals(List.of(), consoleErrors, "console errors");
  }

  static {
    // keep Selenium's own chatter (CDP version warnings) out of the test output
    java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
  }
}
