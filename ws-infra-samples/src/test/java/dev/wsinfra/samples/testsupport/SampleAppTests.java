package dev.wsinfra.samples.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the tests that drive the running sample: {@link #clients} opens real clients on
 * its port and closes them after each test.
 */
@SampleAppTest
public abstract class SampleAppTests {

	@LocalServerPort
	protected int port;

	protected SampleClients clients;

	@BeforeEach
	void openClients() {
		this.clients = new SampleClients(this.port);
	}

	@AfterEach
	void closeClients() {
		this.clients.close();
	}

	/** Asserts an error message of the examples' shape. */
	public static void assertError(JsonNode message, String code) {
		assertThat(message.path("type").asString()).as(message.toString()).isEqualTo("error");
		assertThat(message.path("error").asString()).as(message.toString()).isEqualTo(code);
		assertThat(message.path("message").asString()).isNotBlank();
	}

}
