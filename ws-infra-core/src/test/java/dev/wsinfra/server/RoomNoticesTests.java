package dev.wsinfra.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's {@code user_joined} and {@code user_left} notices with the in-memory
 * manager.
 */
class RoomNoticesTests {

	private final InMemoryConnectionManager manager = new InMemoryConnectionManager(
			ConnectionManagerSettings.builder().roomNotices(true).build(), JsonMapper.builder().build());

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	@Test // #14
	void aJoinIsAnnouncedToTheRoomTheJoiningUserIncludedOnce() throws Exception {
		RecordingSession alice = new RecordingSession();
		RecordingSession bob = new RecordingSession();
		this.manager.connect("alice", alice);
		this.manager.connect("bob", bob);
		this.manager.joinRoom("alice", "lobby");
		assertThat(alice.nextText()).isEqualTo("{\"type\":\"user_joined\",\"user_id\":\"alice\",\"room\":\"lobby\"}");

		assertThat(this.manager.joinRoom("bob", "lobby")).isTrue();
		assertThat(this.manager.joinRoom("bob", "lobby")).isFalse();
		this.manager.broadcastToRoom("lobby", "marker");

		String joined = "{\"type\":\"user_joined\",\"user_id\":\"bob\",\"room\":\"lobby\"}";
		assertThat(alice.nextText()).isEqualTo(joined);
		assertThat(alice.nextText()).isEqualTo("marker");
		assertThat(bob.nextText()).isEqualTo(joined);
		assertThat(bob.nextText()).isEqualTo("marker");
	}

	@Test // #14
	void aLeaveIsAnnouncedToTheMembersLeft() throws Exception {
		RecordingSession alice = new RecordingSession();
		RecordingSession bob = new RecordingSession();
		this.manager.connect("alice", alice);
		this.manager.connect("bob", bob);
		this.manager.joinRoom("alice", "lobby");
		this.manager.joinRoom("bob", "lobby");

		assertThat(this.manager.leaveRoom("bob", "lobby")).isTrue();
		assertThat(this.manager.leaveRoom("bob", "lobby")).isFalse();
		this.manager.broadcast("marker");

		assertThat(alice.nextText()).contains("user_joined", "\"alice\"");
		assertThat(alice.nextText()).contains("user_joined", "\"bob\"");
		assertThat(alice.nextText()).isEqualTo("{\"type\":\"user_left\",\"user_id\":\"bob\",\"room\":\"lobby\"}");
		assertThat(alice.nextText()).isEqualTo("marker");
	}

	@Test // #14
	void theLastConnectionOfAUserLeavesEachOfTheirRoomsOnce() throws Exception {
		RecordingSession alice = new RecordingSession();
		RecordingSession bobPhone = new RecordingSession();
		RecordingSession bobLaptop = new RecordingSession();
		this.manager.connect("alice", alice);
		this.manager.connect("bob", bobPhone);
		this.manager.connect("bob", bobLaptop);
		this.manager.joinRoom("alice", "lobby");
		this.manager.joinRoom("bob", "lobby");
		this.manager.joinRoom("alice", "games");
		this.manager.joinRoom("bob", "games");
		for (int i = 0; i < 4; i++) {
			alice.nextText();
		}

		this.manager.disconnect("bob", bobPhone);
		this.manager.broadcast("still there");
		this.manager.disconnect("bob", bobLaptop);
		this.manager.broadcast("marker");

		assertThat(alice.nextText()).isEqualTo("still there");
		assertThat(new String[] { alice.nextText(), alice.nextText() }).containsExactlyInAnyOrder(
				"{\"type\":\"user_left\",\"user_id\":\"bob\",\"room\":\"lobby\"}",
				"{\"type\":\"user_left\",\"user_id\":\"bob\",\"room\":\"games\"}");
		assertThat(alice.nextText()).isEqualTo("marker");
	}

	@Test // #14
	void withoutTheSettingNothingIsAnnounced() throws Exception {
		InMemoryConnectionManager quiet = new InMemoryConnectionManager();
		try {
			RecordingSession alice = new RecordingSession();
			RecordingSession bob = new RecordingSession();
			quiet.connect("alice", alice);
			quiet.connect("bob", bob);
			quiet.joinRoom("alice", "lobby");
			quiet.joinRoom("bob", "lobby");
			quiet.leaveRoom("bob", "lobby");
			quiet.broadcast("marker");

			assertThat(alice.nextText()).isEqualTo("marker");
			assertThat(quiet.settings().roomNotices()).isFalse();
		}
		finally {
			quiet.close();
		}
	}

}
