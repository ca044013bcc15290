package dev.wsinfra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionClosedExceptionTests {

	@Test // #11
	void messageEscapesThePeersReasonAndTheReasonStaysAsItCame() {
		ConnectionClosedException ex = new ConnectionClosedException(1008, "bye\nERROR forged");
		assertThat(ex.getMessage()).isEqualTo("Connection closed with code 1008: bye\\u000aERROR forged");
		assertThat(ex.reason()).isEqualTo("bye\nERROR forged");
		assertThat(ex.code()).isEqualTo(1008);
	}

	@Test
	void messageWithoutReasonNamesTheCode() {
		assertThat(new ConnectionClosedException(1006, "")).hasMessage("Connection closed with code 1006");
	}

}
