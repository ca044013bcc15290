package dev.wsinfra.samples.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The sample application on a random port, on the in-memory default, with the public
 * bench endpoint on (so that the tests show it cannot reach the protected rooms), the
 * dashboard and the ticker ticking fast, and no provider key, so that the realtime relay
 * talks to the sample's local stand-in. Every test class with this annotation shares one
 * application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "samples.dashboard.interval=200ms", "samples.stocks.interval=200ms",
				"spring.main.banner-mode=off", "logging.level.org.openqa.selenium.devtools=error",
				"samples.bench.enabled=true" })
public @interface SampleAppTest {

}
