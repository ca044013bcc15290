package dev.wsinfra.integration;

import java.net.URI;

import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.test.WsTestClient;
import dev.wsinfra.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's default room authorizer on real endpoints: an anonymous session of a
 * public endpoint whose handler joins the room the client names gets neither in nor any
 * of the room's messages, and is closed with 1008; users with a token join as before.
 */
@WsIntegrationTest
class RoomAccessIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ConnectionManager manager;

	private URI uri(String path) {
		return URI.create("ws://127.0.0.1:" + this.port + path);
	}

	@Test // #11
	void anonymousSessionCannotJoinAProtectedRoomAndIsClosedWithPolicyViolation() throws Exception {
		try (WsTestClient member = WsTestClient.to(uri("/protected/echo")).bearer(TestTokens.user("ria").sign()).open();
				WsTestClient intruder = WsTestClient.open(uri("/public/echo"))) {
			member.nextText();
			intruder.nextText();
			member.send("join:doc:ria-secret");
			assertThat(member.nextText()).isEqualTo("joined doc:ria-secret");

			intruder.send("join:doc:ria-secret");
			WsTestClient.Close close = intruder.awaitClose();
			assertThat(close.code()).isEqualTo(1008);
			assertThat(close.reason()).isEqualTo("Room access denied");
			assertThat(this.manager.getRoomUsers("doc:ria-secret")).containsExactly("ria");

			this.manager.broadcastToRoom("doc:ria-secret", "edit");
			assertThat(member.nextText()).isEqualTo("edit");
		}
	}

	@Test // #11
	void anonymousSessionJoinsPublicRooms() throws Exception {
		try (WsTestClient guest = WsTestClient.open(uri("/public/echo"))) {
			guest.nextText();
			guest.send("join:public:lobby-ra");
			assertThat(guest.nextText()).isEqualTo("joined public:lobby-ra");
			this.manager.broadcastToRoom("public:lobby-ra", "welcome");
			assertThat(guest.nextText()).isEqualTo("welcome");
		}
	}

}
