package dev.wsinfra.samples.browser;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page in real headless Chromium: three browsers, two in one room and one in
 * another, each with a name of its own, a token from {@code /dev/token} and the token
 * passed as a subprotocol.
 */
class BrowserChatIntegrationTests extends SampleAppTests {

	@BeforeAll
	static void chromiumIsInstalled() {
		Browser.requireInstalled();
	}

	@Test
	void twoUsersInARoomChatAndAThirdInAnotherRoomSeesNothing() throws Exception {
		String page = this.clients.http("/");
		try (Browser alice = Browser.open(); Browser bob = Browser.open(); Browser carol = Browser.open()) {
			alice.join(page, "alice", "lobby");
			alice.waitForLine("system", "alice joined the room");
			carol.join(page, "carol", "elsewhere");
			carol.waitForLine("system", "carol joined the room");
			bob.join(page, "bob", "lobby");
			bob.waitForLine("system", "bob joined the room");
			alice.waitForLine("system", "bob joined the room");

			bob.say("Hello from Bob");
			alice.waitForLine("message", "bob: Hello from Bob");
			bob.waitForLine("own", "you: Hello from Bob");
			alice.say("Hi Bob, Alice here");
			bob.waitForLine("message", "alice: Hi Bob, Alice here");

			assertThat(alice.lines()).containsExactly("system|alice joined the room", "system|bob joined the room",
					"message|bob: Hello from Bob", "own|you: Hi Bob, Alice here");
			assertThat(bob.lines()).containsExactly("system|bob joined the room", "own|you: Hello from Bob",
					"message|alice: Hi Bob, Alice here");
			carol.say("Anyone?");
			carol.waitForLine("own", "you: Anyone?");
			assertThat(carol.lines()).containsExactly("system|carol joined the room", "own|you: Anyone?");
		}
	}

}
