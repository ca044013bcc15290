package dev.wsinfra.test;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WsTestClientsContextCustomizerFactory}.
 */
class WsTestClientsContextCustomizerFactoryTests {

	private final WsTestClientsContextCustomizerFactory factory = new WsTestClientsContextCustomizerFactory();

	@Test // #12
	void customizesATestWithAServerOnARandomOrDefinedPort() {
		assertThat(this.factory.createContextCustomizer(RandomPort.class, List.of())).isNotNull();
		assertThat(this.factory.createContextCustomizer(DefinedPort.class, List.of())).isNotNull();
		assertThat(this.factory.createContextCustomizer(RandomPort.Inner.class, List.of())).isNotNull();
	}

	@Test // #12
	void leavesOtherTestsAlone() {
		assertThat(this.factory.createContextCustomizer(Mock.class, List.of())).isNull();
		assertThat(this.factory.createContextCustomizer(WsTestClientsContextCustomizerFactoryTests.class, List.of()))
			.isNull();
	}

	@Test // #12
	void customizersAreEqualSoThatContextsAreCached() {
		assertThat(this.factory.createContextCustomizer(RandomPort.class, List.of()))
			.isEqualTo(this.factory.createContextCustomizer(DefinedPort.class, List.of()));
	}

	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	static class RandomPort {

		@Nested
		class Inner {

		}

	}

	@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
	static class DefinedPort {

	}

	@SpringBootTest(webEnvironment = WebEnvironment.MOCK)
	static class Mock {

	}

}
