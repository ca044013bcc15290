package dev.wsinfra.samples.browser;

import java.time.Duration;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The realtime page in real headless Chromium, through the relay to the sample's local
 * stand-in: a generated tone goes out as one push-to-talk turn, the stand-in asks for the
 * server's time, which the sample's tool answers on the server, and says the tone back,
 * which the page plays.
 */
class BrowserRealtimeIntegrationTests extends SampleAppTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Autowired
	MeterRegistry meters;

	@BeforeAll
	static void chromiumIsInstalled() {
		Browser.requireInstalled();
	}

	@Test // #17
	void aGeneratedToneGoesThroughTheRelayAndItsEchoPlays() throws Exception {
		double toolCalls = count("realtime.tool.calls", "tool", "get_server_time", "outcome", "success");
		try (Browser browser = Browser.open()) {
			ChromeDriver driver = browser.driver();
			driver.get(this.clients.http("/realtime.html"));
			driver.findElement(By.id("name")).sendKeys("ada");
			driver.findElement(By.id("connect")).click();
			WebDriverWait wait = new WebDriverWait(driver, WAIT);
			wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "connected"));
			assertThat(driver.findElement(By.id("provider")).getText()).isEqualTo("the sample's local stand-in");

			// half a second of a 440 Hz tone at the provider's input rate (24 kHz)
			driver.executeScript("window.realtimeDemo.talk(window.realtimeDemo.tone(440, 0.5))");
			wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", "answered"));

			assertThat(driver.findElement(By.id("sent-bytes")).getText()).isEqualTo("24000");
			assertThat(driver.findElement(By.id("received-bytes")).getText()).isEqualTo("24000");
			// the tool call's response, then the spoken one
			assertThat(driver.findElement(By.id("responses")).getText()).isEqualTo("2");
			assertThat(driver.findElement(By.id("transcript")).getText())
				.matches("You said 0\\.5 seconds of audio\\. The server time is \\d\\d:\\d\\d\\.");
			Object played = driver.executeScript("return window.realtimeDemo.counts.played");
			assertThat(((Number) played).intValue()).isEqualTo(5);
			assertThat(driver.findElements(By.cssSelector("#messages li[data-type=error]"))).isEmpty();
		}
		assertThat(count("realtime.tool.calls", "tool", "get_server_time", "outcome", "success") - toolCalls)
			.isEqualTo(1);
	}

	private double count(String name, String... tags) {
		Counter counter = this.meters.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
