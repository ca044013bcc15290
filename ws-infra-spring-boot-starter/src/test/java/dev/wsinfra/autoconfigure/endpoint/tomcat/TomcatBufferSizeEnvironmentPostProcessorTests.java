package dev.wsinfra.autoconfigure.endpoint.tomcat;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class TomcatBufferSizeEnvironmentPostProcessorTests {

	private String previous;

	@BeforeEach
	void clearProperty() {
		this.previous = System.clearProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY);
	}

	@AfterEach
	void restoreProperty() {
		if (this.previous != null) {
			System.setProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY, this.previous);
		}
		else {
			System.clearProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY);
		}
	}

	private static void postProcess(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		new TomcatBufferSizeEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
	}

	@Test
	void setsTomcatsPropertyFromTheConfiguredSize() {
		postProcess(Map.of("ws.tomcat.default-buffer-size", "2KB"));
		assertThat(System.getProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY)).isEqualTo("2048");
	}

	@Test
	void defaultsToOneKilobyte() {
		postProcess(Map.of());
		assertThat(System.getProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY)).isEqualTo("1024");
	}

	@Test
	void zeroKeepsTomcatsDefault() {
		postProcess(Map.of("ws.tomcat.default-buffer-size", "0"));
		assertThat(System.getProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY)).isNull();
	}

	@Test
	void valueAlreadySetIsKept() {
		System.setProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY, "4096");
		postProcess(Map.of("ws.tomcat.default-buffer-size", "2KB"));
		assertThat(System.getProperty(TomcatBufferSizeEnvironmentPostProcessor.PROPERTY)).isEqualTo("4096");
	}

}
