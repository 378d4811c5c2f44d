package io.scenepipeline.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The console as an operator uses it, in a real browser (Debian's chromium, driven by chromium-driver): a running plan's
 * scenes move, a finished plan's timeline, a dead letter with its reason, redriven once its fault is gone; a hostile
 * title shows as text. Screenshots land in {@code target/console-screenshots/}. Skipped without chromium unless
 * REQUIRE_BROWSER=1 (CI), where a missing browser fails it.
 */
class ConsoleBrowserTest extends PipelineTestSupport {

    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final String HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    private WebDriver browser;

    @Override
    protected Properties extraProperties() {
        Properties p = withManagementServer();
        return p;
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void should_show_a_plan_move_its_timeline_and_a_dead_letter_redriven_after_its_fault_is_gone() throws Exception {
        browser = browser();
        stubHappyProviders();
        String clip = "videopredictionid000000001";
        // the clip keeps processing until the test lets it finish; the narration is refused (a bad key) at first
        wm.stubFor(get("/v1/predictions/" + clip).atPriority(1).willReturn(okJson(prediction(clip, "processing", null))));
        wm.stubFor(post(urlPathEqualTo(TTS)).atPriority(2).willReturn(aResponse().withStatus(401).withHeader("Content-Type",
                "application/json").withBody("{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}")));
        drop("moving.json", plan(2).replace("\"Test plan\"", "\"" + HOSTILE.replace("\"", "\\\"") + "\""));
        browser.get("http://127.0.0.1:" + managementPort + "/console/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        // running: the plan is listed, its clip's attempt runs
        By row = By.cssSelector("tr.plan[data-plan-id='moving']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        // the list is drawn again every second: the row is clicked as it is then
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            WebElement r = d.findElement(row);
            assertThat(r.getAttribute("data-status")).isEqualTo("running");
            r.click();
            return true;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-title"), "moving"));
        // the hostile title is text on the page, not markup: no alert, no extra script or image
        assertThat(browser.findElement(By.id("detail-title")).getText()).contains(HOSTILE);
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(browser.findElements(By.cssSelector("script"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#detail img, #plans img"))).isEmpty();

        // while the clip runs, the page follows it: the clips' attempts running, the refused narration failed
        wait.until(d -> !d.findElements(By.cssSelector("#timeline [data-step='image-to-video'] .bar[data-outcome='running']")).isEmpty()
                && !d.findElements(By.cssSelector("#timeline [data-step='text-to-speech'] .bar[data-outcome='failed']")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("#timeline [data-step='image-to-video'] .now")).getText()).contains("running");
        assertThat(browser.findElement(By.id("detail")).getAttribute("data-status")).isEqualTo("running");
        shot("running");

        // the clip finishes: the plan, whose narration failed for good (401), goes to the dead letters with its reason
        wm.stubFor(get("/v1/predictions/" + clip).atPriority(1).willReturn(okJson(prediction(clip, "succeeded",
                wm.baseUrl() + "/files/out.mp4"))));
        wait.until(d -> "dead-lettered".equals(d.findElement(By.id("detail")).getAttribute("data-status")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-error"), "401"));
        shot("dead-letter");
        assertThat(browser.findElement(By.id("detail-error")).getText()).contains("Invalid API key");
        assertThat(browser.findElements(By.cssSelector("#timeline .bar[data-outcome='failed']"))).isNotEmpty();

        // the fault is gone: estimate, then redrive from the page
        wm.removeStub(wm.getStubMappings().stream().filter(m -> Integer.valueOf(2).equals(m.getPriority())).findFirst().orElseThrow());
        int creates = wm.findAll(postRequestedFor(urlPathEqualTo(IMAGEN))).size();
        browser.findElement(By.cssSelector("button[data-action='estimate']")).click();
        WebElement estimate = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".estimate")));
        assertThat(estimate.getText()).contains("from the journal (free)");
        shot("redrive-estimate");
        estimate.findElement(By.cssSelector("button[data-action='redrive']")).click();

        // the redriven plan runs and finishes; its timeline shows the picture taken from the journal
        wait.until(d -> "succeeded".equals(d.findElement(By.id("detail")).getAttribute("data-status")));
        assertThat(browser.findElements(By.cssSelector("#timeline .bar[data-outcome='reused']"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#timeline .bar[data-outcome='succeeded']"))).isNotEmpty();
        shot("timeline");
        wm.verify(creates, postRequestedFor(urlPathEqualTo(IMAGEN)));

        // the providers' panel, and the failed-only filter
        assertThat(browser.findElements(By.cssSelector(".provider[data-provider]"))).hasSize(3);
        browser.findElement(By.cssSelector("#filters button[data-status='dead-lettered']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("plans"), "no plans"));
    }

    private void shot(String name) throws IOException {
        Files.createDirectories(SHOTS);
        File png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static WebDriver browser() {
        Path chromium = Path.of("/usr/bin/chromium");
        Path driver = Path.of("/usr/bin/chromedriver");
        boolean present = Files.isExecutable(chromium) && Files.isExecutable(driver);
        if ("1".equals(System.getenv("REQUIRE_BROWSER"))) {
            assertThat(present).as("chromium and chromedriver installed (REQUIRE_BROWSER=1)").isTrue();
        }
        Assumptions.assumeTrue(present, "the console's browser test needs Debian's chromium and chromium-driver "
                + "(apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
        return new ChromeDriver(service, options);
    }
}
