package dev.kos.api.dashboard;

import dev.kos.agent.testing.DebianPackages;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real, headless Chromium driven by Selenium: Debian's {@code chromium} and its {@code chromedriver}, installed when
 * missing ({@link DebianPackages}), both named by path so that Selenium never looks for a browser or a driver to
 * download (these machines cannot).
 */
public final class Chromium {

  private Chromium() {
  }

  public static ChromeDriver start() {
    Map<String, String> commands = new LinkedHashMap<>();
    commands.put("chromium", "chromium");
    commands.put("chromedriver", "chromium-driver");
    Map<String, Path> found = DebianPackages.ensure(commands);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(found.get("chromium").toFile());
    // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1280,900");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(found.get("chromedriver").toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}
