package dev.kos.api.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a browser, read the way a person reads it: the overview's cards, an app's page and its
 * instances, the scale control. The page redraws its tables on every event, so what is read is read in one script
 * (never an element kept across a redraw), and every wait names what it waited for.
 */
public final class DashboardPage implements AutoCloseable {

  /** How long the page may take to show something the cluster did (a scale on a loaded machine). */
  static final Duration PATIENCE = Duration.ofSeconds(120);

  private final ChromeDriver driver;
  private final Path screenshots;

  /** One row of an app page's instances table. */
  public record InstanceRow(String instance, String state, String agent) {
  }

  private DashboardPage(ChromeDriver driver, Path screenshots) {
    this.driver = driver;
    this.screenshots = screenshots;
  }

  /** Opens the dashboard at {@code base} signed in with {@code token} (the link's fragment, as docs/api.md says). */
  public static DashboardPage open(URI base, String token, Path screenshots) {
    ChromeDriver driver = Chromium.start();
    try {
      driver.get(base.resolve("/") + "#token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
      DashboardPage page = new DashboardPage(driver, screenshots);
      page.await("the overview's cards", p -> p.card("agents") != null);
      return page;
    } catch (RuntimeException e) {
      driver.quit();
      throw e;
    }
  }

  /** The value of the card with this key ({@code data-card}), null while there is none. */
  public String card(String key) {
    return (String) script("const b = document.querySelector(\"[data-card='" + key + "'] b\");"
        + " return b && b.offsetParent !== null ? b.textContent : null;");
  }

  public String text(String id) {
    return (String) script("const e = document.getElementById('" + id + "'); return e ? e.textContent : null;");
  }

  /** Follows the overview's link to the app's page. */
  public void openApp(String appId) {
    await("a link to " + appId + " on the overview", p -> {
      driver.findElement(By.linkText(appId)).click();
      return true;
    });
    await("the page of " + appId, p -> appId.equals(p.text("app-title"))
        && Boolean.TRUE.equals(p.script("return !document.getElementById('app-page').hidden")) && p.card("wanted") != null);
  }

  /** Follows a link of the page (the header's page links, a task's id) and waits for the page it opens. */
  public void follow(String linkText, String pageId) {
    await("a link " + linkText, p -> {
      driver.findElement(By.linkText(linkText)).click();
      return true;
    });
    await("the page " + pageId, p -> Boolean.TRUE.equals(p.script("const e = document.getElementById('" + pageId
        + "'); return e !== null && !e.hidden")));
  }

  /** The data attributes ({@code data-*}) of each row the selector finds, as the page shows them now. */
  @SuppressWarnings("unchecked")
  public List<Map<String, String>> rows(String selector) {
    return (List<Map<String, String>>) script("return [...document.querySelectorAll(\"" + selector + "\")]"
        + ".map(r => Object.assign({}, r.dataset));");
  }

  /** The text of each line of the task page's output. */
  @SuppressWarnings("unchecked")
  public List<String> logLines() {
    return (List<String>) script("return [...document.querySelectorAll('#task-log div')].map(d => d.textContent);");
  }

  /** The app page's instances, as its table shows them now. */
  @SuppressWarnings("unchecked")
  public List<InstanceRow> instances() {
    List<Map<String, String>> rows = (List<Map<String, String>>) script(
        "return [...document.querySelectorAll('#app-instances tr[data-instance]')]"
            + ".map(r => ({instance: r.dataset.instance, state: r.dataset.state, agent: r.dataset.agent}));");
    return rows.stream().map(r -> new InstanceRow(r.get("instance"), r.get("state"), r.get("agent"))).toList();
  }

  /** Types {@code instances} into the app page's scale field and presses Scale; returns the answer it shows. */
  public String scaleTo(int instances) {
    script("document.getElementById('message').textContent = '';");
    driver.findElement(By.id("scale-instances")).sendKeys(Keys.chord(Keys.CONTROL, "a"), String.valueOf(instances));
    driver.findElement(By.id("scale-button")).click();
    await("the answer to the scale command", p -> !p.text("message").isEmpty());
    return text("message");
  }

  public String messageClass() {
    return (String) script("return document.getElementById('message').className;");
  }

  /** Waits until the page shows what {@code condition} looks for. */
  public void await(String what, Predicate<DashboardPage> condition) {
    try {
      new WebDriverWait(driver, PATIENCE, Duration.ofMillis(250)).withMessage("the dashboard to show " + what)
          .ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class)
          .until(d -> condition.test(this));
    } catch (TimeoutException e) {
      throw new TimeoutException(e.getMessage() + "\n(what it showed instead: " + screenshot("timed-out.png") + ")",
          e);
    }
  }

  /** Saves what the browser shows as {@code name} (PNG) under the screenshots directory. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(screenshots);
      return Files.write(screenshots.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object script(String js) {
    return ((JavascriptExecutor) driver).executeScript(js);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
