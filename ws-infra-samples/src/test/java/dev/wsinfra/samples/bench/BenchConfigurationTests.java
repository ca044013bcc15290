package dev.wsinfra.samples.bench;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.RoomAuthorizer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class BenchConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(BenchConfiguration.class)
		.withBean(ConnectionManager.class, InMemoryConnectionManager::new)
		.withBean(JsonMapper.class, () -> JsonMapper.builder().build());

	@Test // #11
	void benchEndpointIsOffUnlessAPropertyTurnsItOn() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(BenchHandler.class)
			.doesNotHaveBean(RoomAuthorizer.class));
		this.contextRunner.withPropertyValues("samples.bench.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BenchHandler.class));
	}

	@Test // #11
	void benchOpensOnlyItsOwnRoomsToAnonymousSessions() {
		this.contextRunner.withPropertyValues("samples.bench.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(BenchHandler.class);
			RoomAuthorizer authorizer = context.getBean(RoomAuthorizer.class);
			assertThat(authorizer.mayJoin("anonymous:1", "bench:all")).isTrue();
			assertThat(authorizer.mayJoin("anonymous:1", "chat:lobby")).isFalse();
			assertThat(authorizer.mayJoin("anonymous:1", "doc:1")).isFalse();
			assertThat(authorizer.mayJoin("alice", "doc:1")).isTrue();
		});
	}

}
