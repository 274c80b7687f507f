package io.cifarserve.website;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.website.support.InferenceServer;
import java.awt.Color;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A person's visit in headless Chromium: the real website, the real inference service, real
 * uploads. Screenshots are kept in target/screenshots.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.servlet.multipart.max-file-size=200KB"})
class BrowserEndToEndTest {

  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @LocalServerPort int port;
  @TempDir Path files;
  private WebDriver browser;

  @DynamicPropertySource
  static void inference(DynamicPropertyRegistry registry) {
    registry.add("website.inference.url", InferenceServer::url);
  }

  @BeforeAll
  static void needsChromium() {
    if (System.getenv("CI") != null) {
      assertThat(CHROMIUM).as("CI installs chromium and chromium-driver").exists();
    }
    Assumptions.assumeTrue(
        CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(), "chromium/chromedriver not installed");
  }

  private WebDriver open(boolean javascript) throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--no-first-run",
        "--window-size=1280,1000",
        "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
    if (!javascript) {
      options.setExperimentalOption(
          "prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build();
    browser = new ChromeDriver(service, options);
    return browser;
  }

  @AfterEach
  void close() {
    if (browser != null) {
      browser.quit();
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private Path file(String name, byte[] content) throws Exception {
    return Files.write(files.resolve(name), content);
  }

  private void screenshot(String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private void upload(Path... pictures) {
    WebElement input = browser.findElement(By.id("files"));
    input.sendKeys(
        String.join("\n", java.util.Arrays.stream(pictures).map(Path::toString).toList()));
    browser.findElement(By.cssSelector("form.upload button[type=submit]")).click();
  }

  private WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  @Test
  void uploadsAPngAndAJpegAndShowsBothPredictionsWithTheirReasons() throws Exception {
    open(true).get(url("/"));
    assertThat(browser.findElement(By.cssSelector("[data-testid=model-banner]")).getText())
        .contains("test-colour-classifier")
        .contains("hand-set weights for tests");
    screenshot("01-home");
    Path png = file("red-square.png", TestImages.png(48, 48, Color.RED));
    Path jpeg = file("green-square.jpg", TestImages.jpeg(64, 40, Color.GREEN));

    upload(png, jpeg);

    waiting()
        .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=result]"), 2));
    List<String> labels =
        browser.findElements(By.cssSelector("[data-testid=result-label]")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(labels).containsExactly("airplane", "automobile");
    assertThat(browser.findElements(By.cssSelector(".result meter"))).hasSize(10);
    // The whole picture beside the crop: the wide JPEG's thumbnail keeps its shape.
    List<WebElement> thumbnails =
        browser.findElements(By.cssSelector("[data-testid=result-thumbnail]"));
    assertThat(thumbnails).hasSize(2);
    assertThat(thumbnails.get(1).getSize().getWidth())
        .isGreaterThan(thumbnails.get(1).getSize().getHeight());
    assertThat(browser.findElements(By.cssSelector("[data-testid=result-crop]"))).hasSize(2);
    screenshot("02-predictions");

    WebElement overlay = browser.findElement(By.cssSelector(".result .overlay"));
    assertThat(overlay.isDisplayed()).isFalse();
    browser.findElement(By.cssSelector(".result label.why")).click();
    assertThat(overlay.isDisplayed()).isTrue();
    screenshot("03-why-this-class");

    browser.manage().window().setSize(new Dimension(375, 812));
    Object overflow =
        ((JavascriptExecutor) browser)
            .executeScript("return document.documentElement.scrollWidth > window.innerWidth;");
    assertThat(overflow).isEqualTo(false);
    screenshot("04-phone");
  }

  @Test
  void showsAnUnsureAnswerAsSuchWithItsGuesses() throws Exception {
    open(true).get(url("/"));

    upload(file("grey-wall.png", TestImages.png(80, 60, new Color(128, 128, 128))));

    WebElement unsure =
        waiting()
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-testid=result-unsure]")));
    assertThat(unsure.getText()).isEqualTo("Not sure: this may not be one of the ten classes");
    assertThat(browser.findElements(By.cssSelector("[data-testid=result-label]"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector(".result meter"))).hasSize(5);
    screenshot("09-unsure");
  }

  @Test
  void explainsThatATextFileIsNoPicture() throws Exception {
    open(true).get(url("/"));

    upload(file("shopping-list.txt", "eggs, milk".getBytes()));

    WebElement error =
        waiting()
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-testid=result-error]")));
    assertThat(error.getText()).contains("not a supported image");
    screenshot("05-text-file");
  }

  @Test
  void explainsThatAFileIsTooLarge() throws Exception {
    open(true).get(url("/"));

    upload(file("huge.png", new byte[400 * 1024]));

    WebElement error =
        waiting()
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("[data-testid=page-error]")));
    assertThat(error.getText()).contains("too large");
    screenshot("06-too-large");
  }

  @Test
  void worksWithoutJavaScript() throws Exception {
    open(false).get(url("/"));

    upload(file("blue.png", TestImages.png(32, 32, Color.BLUE)));

    waiting()
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-testid=result-label]"), "bird"));
    screenshot("07-no-javascript");
  }

  @Test
  void showsTheModelCard() throws Exception {
    open(true).get(url("/model"));

    assertThat(browser.findElement(By.cssSelector("[data-testid=model-title]")).getText())
        .isEqualTo("test-colour-classifier 1");
    assertThat(browser.findElement(By.cssSelector("[data-testid=test-accuracy]")).getText())
        .isEqualTo("30.00%");
    assertThat(browser.findElement(By.cssSelector("[data-testid=model-card]")).getText())
        .contains("Not a real model");
    assertThat(
            browser.findElement(By.cssSelector("[data-testid=reliability-diagram]")).isDisplayed())
        .isTrue();
    screenshot("08-model");
  }
}
