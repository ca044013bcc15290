package dev.wsinfra.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RoomAuthorizerTests {

	private final List<String> asked = new ArrayList<>();

	private final InMemoryConnectionManager manager = new InMemoryConnectionManager(
			ConnectionManagerSettings.builder().roomAuthorizer((userId, room) -> {
				synchronized (this.asked) {
					this.asked.add(userId + "->" + room);
				}
				return !userId.startsWith("guest") || room.startsWith("lobby");
			}).build(), JsonMapper.builder().build());

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	@Test // #11
	void refusedJoinThrowsAndTheUserNeverReceivesTheRoomsMessages() throws Exception {
		RecordingSession guest = new RecordingSession();
		RecordingSession member = new RecordingSession();
		this.manager.connect("guest-1", guest);
		this.manager.connect("alice", member);
		assertThat(this.manager.joinRoom("alice", "doc:secret")).isTrue();
		assertThatExceptionOfType(RoomAccessDeniedException.class)
			.isThrownBy(() -> this.manager.joinRoom("guest-1", "doc:secret"))
			.satisfies((ex) -> {
				assertThat(ex.userId()).isEqualTo("guest-1");
				assertThat(ex.room()).isEqualTo("doc:secret");
			});
		this.manager.broadcastToRoom("doc:secret", "edit");
		this.manager.sendToUser("guest-1", "marker");
		assertThat(member.nextText()).isEqualTo("edit");
		assertThat(guest.nextText()).isEqualTo("marker");
		assertThat(this.manager.getRoomUsers("doc:secret")).containsExactly("alice");
		assertThat(this.manager.getUserRooms("guest-1")).isEmpty();
	}

	@Test // #11
	void authorizerIsAskedWithTheUserAndTheRoomOnEveryJoin() {
		this.manager.connect("guest-1", new RecordingSession());
		assertThat(this.manager.joinRoom("guest-1", "lobby:1")).isTrue();
		assertThat(this.manager.joinRoom("guest-1", "lobby:1")).isFalse();
		assertThat(this.asked).containsExactly("guest-1->lobby:1", "guest-1->lobby:1");
	}

	@Test
	void defaultSettingsLetEveryoneJoinAndKeepTheAuthorizerOnACopy() {
		assertThat(ConnectionManagerSettings.defaults().roomAuthorizer()).isSameAs(RoomAuthorizer.ALLOW_ALL);
		RoomAuthorizer custom = (userId, room) -> false;
		ConnectionManagerSettings settings = ConnectionManagerSettings.builder()
			.outboundQueueLimit(7)
			.outboundQueueBytes(4096)
			.outboundMaxDelay(Duration.ofSeconds(3))
			.slowConsumerPolicy(SlowConsumerPolicy.DROP_OLDEST)
			.maxConnectionsPerUser(2)
			.closeTimeout(Duration.ofSeconds(4))
			.writerThreads(3)
			.writeStallThreshold(Duration.ofMillis(250))
			.roomAuthorizer(custom)
			.build();
		ConnectionManagerSettings copy = settings.toBuilder().build();
		assertThat(copy.roomAuthorizer()).isSameAs(custom);
		assertThat(copy.outboundQueueLimit()).isEqualTo(7);
		assertThat(copy.toString()).isEqualTo(settings.toString());
	}

	@Test
	void nullAuthorizerIsRefusedWithTheSettingsName() {
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> ConnectionManagerSettings.builder().roomAuthorizer(null).build())
			.withMessageContaining("roomAuthorizer");
	}

}
