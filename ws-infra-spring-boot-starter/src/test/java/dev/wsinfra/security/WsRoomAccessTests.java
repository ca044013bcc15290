package dev.wsinfra.security;

import dev.wsinfra.autoconfigure.WsAutoConfiguration;
import dev.wsinfra.endpoint.WsEndpoint;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.ConnectionManagerSettings;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.RoomAuthorizer;
import dev.wsinfra.test.RecordingWebSocketSession;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class WsRoomAccessTests {

	private static final String ANONYMOUS = WsEndpoint.ANONYMOUS_USER_PREFIX + "5f1c";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WsAutoConfiguration.class));

	@Test // #11
	void defaultsKeepAnonymousSessionsInPublicRoomsAndLetUsersJoinAny() {
		RoomAuthorizer authorizer = WsRoomAccess.defaults();
		assertThat(authorizer.mayJoin(ANONYMOUS, "chat:general")).isFalse();
		assertThat(authorizer.mayJoin(ANONYMOUS, "doc:42")).isFalse();
		assertThat(authorizer.mayJoin(ANONYMOUS, "public:lobby")).isTrue();
		assertThat(authorizer.mayJoin("alice", "chat:general")).isTrue();
		assertThat(authorizer.mayJoin("alice", "public:lobby")).isTrue();
	}

	@Test
	void anonymousOnlyInAcceptsAnyOfItsPrefixes() {
		RoomAuthorizer authorizer = WsRoomAccess.anonymousOnlyIn("bench:", "public:");
		assertThat(authorizer.mayJoin(ANONYMOUS, "bench:r1")).isTrue();
		assertThat(authorizer.mayJoin(ANONYMOUS, "public:x")).isTrue();
		assertThat(authorizer.mayJoin(ANONYMOUS, "benchmark")).isFalse();
		assertThat(authorizer).hasToString("anonymous sessions only in rooms starting with [bench:, public:]");
	}

	@Test
	void isAnonymousRecognisesTheIdsOfAnonymousSessionsOnly() {
		assertThat(WsRoomAccess.isAnonymous(ANONYMOUS)).isTrue();
		assertThat(WsRoomAccess.isAnonymous("anonymous")).isFalse();
		assertThat(WsRoomAccess.isAnonymous("alice")).isFalse();
	}

	@Test // #11
	void managerRefusesAnonymousJoinsToProtectedRoomsByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RoomAuthorizer.class);
			RoomAuthorizer authorizer = context.getBean(InMemoryConnectionManager.class).settings().roomAuthorizer();
			assertThat(authorizer.mayJoin(ANONYMOUS, "chat:general")).isFalse();
			assertThat(authorizer.mayJoin(ANONYMOUS, "public:lobby")).isTrue();
			assertThat(authorizer.mayJoin("alice", "chat:general")).isTrue();
			assertThat(authorizer).hasToString(WsRoomAccess.defaults().toString());
		});
	}

	@Test
	void roomAuthorizerBacksOffWhenUserDefinesOne() {
		RoomAuthorizer own = (userId, room) -> room.startsWith("team:");
		this.contextRunner.withBean("ownAuthorizer", RoomAuthorizer.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(RoomAuthorizer.class);
			RoomAuthorizer authorizer = context.getBean(ConnectionManagerSettings.class).roomAuthorizer();
			assertThat(authorizer.mayJoin("alice", "team:a")).isTrue();
			assertThat(authorizer.mayJoin("alice", "chat:general")).isFalse();
		});
	}

	@Test // #11
	void anAuthorizerMayDependOnTheConnectionManager() {
		this.contextRunner.withUserConfiguration(PresenceAuthorizerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			ConnectionManager manager = context.getBean(ConnectionManager.class);
			manager.connect("alice", new RecordingWebSocketSession("s1"));
			assertThat(manager.joinRoom("alice", "team:a")).isTrue();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class PresenceAuthorizerConfiguration {

		@Bean
		RoomAuthorizer connectedUsersOnly(ConnectionManager manager) {
			return (userId, room) -> manager.isUserConnected(userId);
		}

	}

}
