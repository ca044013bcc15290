package dev.wsinfra.redis.internal;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopesTests {

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final Envelopes envelopes = new Envelopes(this.jsonMapper);

	@Test
	void textMessageRoundTripsWithSenderAndExcludedUser() {
		Envelope envelope = this.envelopes.read(this.envelopes.message("i1", "bob", Payload.text("hi \"there\"")));

		assertThat(envelope.instance()).isEqualTo("i1");
		assertThat(envelope.excludeUser()).isEqualTo("bob");
		assertThat(envelope.payload().text()).isEqualTo("hi \"there\"");
		assertThat(envelope.control()).isNull();
		assertThat(envelope.entry()).isNull();
	}

	@Test
	void binaryMessageRoundTrips() {
		Envelope envelope = this.envelopes
			.read(this.envelopes.message("i1", null, Payload.binary(new byte[] { 0, -1, 7 })));

		assertThat(envelope.excludeUser()).isNull();
		assertThat(envelope.payload().isText()).isFalse();
		assertThat(envelope.payload().binary()).containsExactly(0, -1, 7);
	}

	@Test
	void controlRoundTrips() {
		Envelope envelope = this.envelopes.read(this.envelopes.control("i2", Envelope.JOIN, "lobby"));

		assertThat(envelope.control()).isEqualTo("join");
		assertThat(envelope.room()).isEqualTo("lobby");
		assertThat(envelope.payload()).isNull();
	}

	@Test // #5
	void joinCarriesTheIdToAcknowledgeAndAnAcknowledgementIsRead() {
		Envelope join = this.envelopes.read(this.envelopes.control("i1", Envelope.JOIN, "lobby", "a1"));
		Envelope ack = this.envelopes.read(this.envelopes.ack("i2", "a1"));

		assertThat(join.ack()).isEqualTo("a1");
		assertThat(join.room()).isEqualTo("lobby");
		assertThat(ack.instance()).isEqualTo("i2");
		assertThat(ack.ack()).isEqualTo("a1");
		assertThat(ack.control()).isNull();
		assertThat(this.envelopes.read(this.envelopes.control("i1", Envelope.LEAVE, "lobby")).ack()).isNull();
	}

	@Test // #5
	void disconnectRoundTripsWithItsStatus() {
		Envelope envelope = this.envelopes.read(this.envelopes.disconnect("i2", new CloseStatus(4003, "banned")));

		assertThat(envelope.control()).isEqualTo(Envelope.DISCONNECT);
		assertThat(envelope.status()).isEqualTo(new CloseStatus(4003, "banned"));
		assertThat(this.envelopes.read(this.envelopes.disconnect("i2", CloseStatus.NORMAL)).status())
			.isEqualTo(CloseStatus.NORMAL);
		assertThat(this.envelopes.read("{\"instance\":\"i1\",\"control\":\"disconnect\",\"code\":99}")).isNull();
	}

	@Test
	void streamEntryAsTheAppendScriptPublishesItIsRead() {
		// cjson escapes slashes and writes an empty string for "no excluded user".
		String published = "{\"instance\":\"i1\",\"stream\":\"room:a\\/b\",\"id\":\"1-0\",\"epoch\":\"e1\","
				+ "\"data\":\"{\\\"n\\\":1}\",\"excludeUser\":\"\"}";

		Envelope envelope = this.envelopes.read(published);

		assertThat(envelope.entry()).isEqualTo(new StreamEntry("room:a/b", "1-0", "e1", "{\"n\":1}", null));
	}

	@Test
	void foreignPayloadsAreNotRead() {
		assertThat(this.envelopes.read("not json")).isNull();
		assertThat(this.envelopes.read("{\"message\":\"seed style\"}")).isNull();
		assertThat(this.envelopes.read("{\"instance\":\"i1\"}")).isNull();
		assertThat(this.envelopes.read("{\"instance\":\"i1\",\"binary\":\"***\"}")).isNull();
		assertThat(this.envelopes.read("{\"instance\":\"i1\",\"stream\":\"s\",\"id\":\"1-0\"}")).isNull();
	}

	@Test
	void streamFrameEmbedsTheDataAsJson() {
		String frame = this.envelopes.streamFrame("message", new StreamEntry("s", "1-0", "e1", "{\"n\":1}", null),
				"e1:1-0@s");

		JsonNode node = this.jsonMapper.readTree(frame);
		assertThat(node.path("type").asString()).isEqualTo("message");
		assertThat(node.path("stream").asString()).isEqualTo("s");
		assertThat(node.path("position").asString()).isEqualTo("e1:1-0@s");
		assertThat(node.path("id").asString()).isEqualTo("1-0");
		assertThat(node.path("data").path("n").asInt()).isEqualTo(1);
	}

	@Test
	void dataThatIsNotJsonIsKeptAsAString() {
		assertThat(this.envelopes.data("plain text").asString()).isEqualTo("plain text");
	}

	@Test
	void recoveryFrameStatesTheOutcome() {
		JsonNode node = this.jsonMapper.readTree(this.envelopes.recoveryFrame("s", true, 3, "e1:3-0@s"));

		assertThat(node.path("type").asString()).isEqualTo("recovery");
		assertThat(node.path("recovered").asBoolean()).isTrue();
		assertThat(node.path("replayed").asInt()).isEqualTo(3);
		assertThat(this.jsonMapper.readTree(this.envelopes.recoveryFrame(null, false, 0, null)).has("stream"))
			.isFalse();
	}

}
