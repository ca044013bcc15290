package dev.wsinfra.samples.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium, Debian's, driven by Debian's chromedriver: Selenium is given
 * both paths, so Selenium Manager never runs and nothing is downloaded. Each browser has
 * a fresh profile, removed on {@link #close()}.
 */
final class Browser implements AutoCloseable {

	static final String CHROMIUM = "/usr/bin/chromium";

	static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final Path profile;

	private final ChromeDriver driver;

	private Browser(Path profile, ChromeDriver driver) {
		this.profile = profile;
		this.driver = driver;
	}

	/**
	 * Fails, saying how to install them, when Chromium or its driver is missing.
	 */
	static void requireInstalled() {
		for (String path : List.of(CHROMIUM, CHROMEDRIVER)) {
			if (!new File(path).canExecute()) {
				throw new AssertionError(path + " is missing: the browser test needs Debian's Chromium and its "
						+ "driver; install them with 'apt-get install -y chromium chromium-driver' (.ci/run does)");
			}
		}
	}

	static Browser open() throws IOException {
		Path profile = Files.createTempDirectory("ws-infra-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		try {
			return new Browser(profile, new ChromeDriver(service, options));
		}
		catch (RuntimeException ex) {
			delete(profile);
			throw ex;
		}
	}

	/** Opens the chat page, picks a name and a room, and waits until it is connected. */
	void join(String url, String name, String room) {
		joinWithoutWaiting(url, name, room);
		waitForState("open");
	}

	/** Opens the chat page, picks a name and a room, and joins. */
	void joinWithoutWaiting(String url, String name, String room) {
		this.driver.get(url);
		type("name", name);
		WebElement roomInput = this.driver.findElement(By.id("room"));
		roomInput.clear();
		roomInput.sendKeys(room);
		this.driver.findElement(By.id("join")).click();
	}

	/** Waits until the page's connection is in a state of ws-infra.js. */
	void waitForState(String state) {
		waitUntil(ExpectedConditions.attributeToBe(By.id("status"), "data-state", state), Duration.ofSeconds(60));
	}

	String state() {
		return this.driver.findElement(By.id("status")).getAttribute("data-state");
	}

	/** Returns what the page says of its connection. */
	String status() {
		return this.driver.findElement(By.id("status")).getText();
	}

	/** Returns a counter of the page's client: connects, refreshes, duplicates. */
	long stat(String name) {
		Object value = this.driver.executeScript("return window.chatClient.stats[arguments[0]];", name);
		return (value instanceof Number number) ? number.longValue() : -1;
	}

	/** Waits until the member list shows exactly these users, in order. */
	void waitForMembers(String... users) {
		List<String> expected = List.of(users);
		waitUntil((driver) -> members().equals(expected));
	}

	// Read in one script: the page renders the list anew on every presence change.
	List<String> members() {
		Object members = this.driver
			.executeScript("return Array.from(document.querySelectorAll('#members li'), (item) => item.textContent);");
		return ((List<?>) members).stream().map(String::valueOf).toList();
	}

	/** Opens a new tab and makes it the current one; returns its handle. */
	String newTab() {
		return this.driver.switchTo().newWindow(WindowType.TAB).getWindowHandle();
	}

	/** Returns the current tab's handle. */
	String tab() {
		return this.driver.getWindowHandle();
	}

	void switchTo(String tab) {
		this.driver.switchTo().window(tab);
	}

	void leave() {
		this.driver.findElement(By.id("leave")).click();
	}

	void say(String message) {
		type("message", message);
		this.driver.findElement(By.id("send")).click();
	}

	/** Waits until the page shows a line of a type with a text. */
	void waitForLine(String type, String text) {
		waitUntil((driver) -> lines().contains(type + "|" + text));
	}

	/** Returns the lines the page shows, each as {@code type|text}. */
	List<String> lines() {
		Object lines = this.driver.executeScript("return Array.from(document.querySelectorAll('#messages li'), "
				+ "(item) => item.dataset.type + '|' + item.textContent);");
		return ((List<?>) lines).stream().map(String::valueOf).toList();
	}

	private void type(String id, String text) {
		WebElement input = this.driver.findElement(By.id(id));
		input.clear();
		input.sendKeys(text);
	}

	private <T> void waitUntil(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
		waitUntil(condition, WAIT);
	}

	private <T> void waitUntil(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition,
			Duration timeout) {
		new WebDriverWait(this.driver, timeout).until(condition);
	}

	/** The driver, for pages other than the chat. */
	ChromeDriver driver() {
		return this.driver;
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			delete(this.profile);
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a left-over temporary profile does no harm
		}
	}

}
