package io.ftpbridge.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Swagger UI in a real headless Chromium (Debian's chromium and chromedriver, nothing downloaded):
 * authorise with HTTP Basic or with a Bearer token, run "list users", read the response it shows.
 */
@FtpBridgeTest
class SwaggerUiBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path SCREENSHOTS = Path.of("target", "swagger-ui");

    @LocalServerPort
    int port;

    private ChromeDriver browser;
    private Path profile;

    @BeforeEach
    void startChromium() throws IOException {
        // both paths given: Selenium Manager has nothing to look up or download
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory("chromium-profile-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments(
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,2000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopChromium() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void authorisedListUsersShowsTheUsersInSwaggerUi() throws IOException {
        // "0-": the first page (by username) must show this user whatever other tests left in the shared database
        new Api(port).createFolderAndUser("swagger-ui-folder", "0-swagger-ui-alice", "alice-secret-1", "/", Api.ALL);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        browser.get("http://127.0.0.1:" + port + "/swagger-ui.html");
        WebElement basicForm = authorizeForm(wait, "basicAuth");
        basicForm.findElement(By.cssSelector("input[name=username]")).sendKeys(Api.ADMIN);
        basicForm.findElement(By.cssSelector("input[name=password]")).sendKeys(Api.ADMIN_PASSWORD);
        closeAfterAuthorizing(wait, basicForm);

        WebElement listUsers = runListUsers(wait);
        screenshot(browser, "list-users.png");
        By status = By.cssSelector(".live-responses-table .response .response-col_status");
        assertThat(listUsers.findElement(status).getText()).startsWith("200");
        String body = listUsers.findElement(By.cssSelector(".live-responses-table .response-col_description pre")).getText();
        assertThat(body).contains("\"items\"", "\"total\"", "\"username\": \"0-swagger-ui-alice\"")
                .doesNotContain("alice-secret-1");
        String basic = Base64.getEncoder().encodeToString((Api.ADMIN + ":" + Api.ADMIN_PASSWORD).getBytes());
        assertThat(listUsers.findElement(By.cssSelector(".curl-command")).getText())
                .as("the request Swagger UI sent carries the credentials entered in the dialog")
                .contains("Authorization: Basic " + basic);
    }

    @Test
    void authorisedWithABearerTokenListUsersShowsTheUsers() throws IOException {
        Api api = new Api(port);
        api.createFolderAndUser("swagger-bearer-folder", "0-swagger-bearer-bob", "bob-secret-1", "/", Api.ALL);
        String token = api.post("/api/v1/auth/token", null).json().get("access_token").asString();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        browser.get("http://127.0.0.1:" + port + "/swagger-ui.html");
        WebElement bearer = authorizeForm(wait, "bearerAuth");
        bearer.findElement(By.cssSelector("input")).sendKeys(token);
        closeAfterAuthorizing(wait, bearer);

        WebElement listUsers = runListUsers(wait);
        screenshot(browser, "list-users-bearer.png");
        By status = By.cssSelector(".live-responses-table .response .response-col_status");
        assertThat(listUsers.findElement(status).getText()).startsWith("200");
        assertThat(listUsers.findElement(By.cssSelector(".live-responses-table .response-col_description pre")).getText())
                .contains("\"username\": \"0-swagger-bearer-bob\"");
        assertThat(listUsers.findElement(By.cssSelector(".curl-command")).getText())
                .as("the request Swagger UI sent carries the token entered in the dialog")
                .contains("Authorization: Bearer " + token);
    }

    /** Opens the Authorize dialog and answers the form of one security scheme. */
    private WebElement authorizeForm(WebDriverWait wait, String scheme) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".auth-wrapper button.authorize"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".modal-ux")));
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                "//div[contains(@class,'modal-ux')]//form[.//h4[contains(normalize-space(.), '" + scheme + "')]]")));
    }

    private void closeAfterAuthorizing(WebDriverWait wait, WebElement form) {
        form.findElement(By.cssSelector(".auth-btn-wrapper button.authorize")).click();
        wait.until(ExpectedConditions.textToBePresentInElement(form, "Authorized"));
        form.findElement(By.cssSelector(".auth-btn-wrapper button.btn-done")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".modal-ux")));
    }

    private WebElement runListUsers(WebDriverWait wait) {
        WebElement listUsers = browser.findElement(By.id("operations-Users-listUser"));
        listUsers.findElement(By.cssSelector(".opblock-summary-control")).click();
        wait.until(ExpectedConditions.elementToBeClickable(listUsers.findElement(By.cssSelector(".try-out__btn")))).click();
        wait.until(ExpectedConditions.elementToBeClickable(listUsers.findElement(By.cssSelector("button.execute")))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".live-responses-table .response .response-col_status")));
        return listUsers;
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
