package dev.wsinfra.samples.browser;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page in real headless Chromium, on ws-infra.js served by the starter, with the
 * in-memory manager: three browsers, two in one room and one in another, each with a name
 * of its own, a token from {@code /dev/token} passed as a subprotocol, and the room's
 * members from the server's presence.
 */
class BrowserChatIntegrationTests extends SampleAppTests {

	@BeforeAll
	static void chromiumIsInstalled() {
		Browser.requireInstalled();
	}

	@Test // #16
	void twoUsersInARoomChatAndSeeEachOtherAndAThirdInAnotherRoomSeesNothing() throws Exception {
		String page = this.clients.http("/");
		try (Browser alice = Browser.open(); Browser bob = Browser.open(); Browser carol = Browser.open()) {
			alice.join(page, "alice", "lobby");
			alice.waitForMembers("alice");
			carol.join(page, "carol", "elsewhere");
			bob.join(page, "bob", "lobby");
			bob.waitForMembers("alice", "bob");
			alice.waitForMembers("alice", "bob");
			assertThat(alice.status()).isEqualTo("Connected to lobby as alice");

			bob.say("Hello from Bob");
			alice.waitForLine("message", "bob: Hello from Bob");
			bob.waitForLine("own", "you: Hello from Bob");
			alice.say("Hi Bob, Alice here");
			bob.waitForLine("message", "alice: Hi Bob, Alice here");
			alice.waitForLine("own", "you: Hi Bob, Alice here");

			assertThat(alice.lines()).containsExactly("message|bob: Hello from Bob", "own|you: Hi Bob, Alice here");
			assertThat(bob.lines()).containsExactly("own|you: Hello from Bob", "message|alice: Hi Bob, Alice here");
			carol.say("Anyone?");
			carol.waitForLine("own", "you: Anyone?");
			assertThat(carol.lines()).containsExactly("own|you: Anyone?");
			carol.waitForMembers("carol");

			bob.leave();
			bob.waitForState("closed");
			assertThat(bob.status()).isEqualTo("Disconnected: left the room");
			alice.waitForMembers("alice");
		}
	}

}
