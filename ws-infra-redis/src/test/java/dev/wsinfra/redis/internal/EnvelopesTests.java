package dev.wsinfra.redis.internal;

import java.util.ArrayList;
import java.util.List;

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
		Envelope.Message message = (Envelope.Message) this.envelopes
			.read(this.envelopes.message("i1", "bob", Payload.text("hi \"there\"")));

		assertThat(message.instance()).isEqualTo("i1");
		assertThat(message.excludeUser()).isEqualTo("bob");
		assertThat(message.payload().text()).isEqualTo("hi \"there\"");
	}

	@Test
	void binaryMessageRoundTrips() {
		Envelope.Message message = (Envelope.Message) this.envelopes
			.read(this.envelopes.message("i1", null, Payload.binary(new byte[] { 0, -1, 7 })));

		assertThat(message.excludeUser()).isNull();
		assertThat(message.payload().isText()).isFalse();
		assertThat(message.payload().binary()).containsExactly(0, -1, 7);
	}

	@Test
	void roomChangesRoundTrip() {
		assertThat(this.envelopes.read(this.envelopes.roomChange("i2", "lobby", true, null)))
			.isEqualTo(new Envelope.RoomChange("i2", "lobby", true, null));
		assertThat(this.envelopes.read(this.envelopes.roomChange("i2", "lobby", false, null)))
			.isEqualTo(new Envelope.RoomChange("i2", "lobby", false, null));
	}

	@Test // #5
	void joinCarriesTheIdToAcknowledgeAndAnAcknowledgementIsRead() {
		assertThat(this.envelopes.read(this.envelopes.roomChange("i1", "lobby", true, "a1")))
			.isEqualTo(new Envelope.RoomChange("i1", "lobby", true, "a1"));
		assertThat(this.envelopes.read(this.envelopes.ack("i2", "a1"))).isEqualTo(new Envelope.Ack("i2", "a1"));
	}

	@Test // #5
	void disconnectRoundTripsWithItsStatus() {
		assertThat(this.envelopes.read(this.envelopes.disconnect("i2", new CloseStatus(4003, "banned"))))
			.isEqualTo(new Envelope.Disconnect("i2", new CloseStatus(4003, "banned")));
		assertThat(this.envelopes.read(this.envelopes.disconnect("i2", CloseStatus.NORMAL)))
			.isEqualTo(new Envelope.Disconnect("i2", CloseStatus.NORMAL));
		assertThat(this.envelopes.read("{\"instance\":\"i1\",\"control\":\"disconnect\",\"code\":99}")).isNull();
	}

	@Test // #13
	void anUnknownControlIsNotRead() {
		assertThat(this.envelopes.read("{\"instance\":\"i1\",\"control\":\"promote\",\"room\":\"r\"}")).isNull();
		assertThat(this.envelopes.read("{\"instance\":\"i1\",\"control\":\"join\"}")).isNull();
	}

	@Test // #13
	void eachKindReachesItsOwnHandlerMethod() {
		List<String> calls = new ArrayList<>();
		Envelope.Handler handler = new Envelope.Handler() {

			@Override
			public void message(Envelope.Message message) {
				calls.add("message");
			}

			@Override
			public void roomChange(Envelope.RoomChange change) {
				calls.add("roomChange");
			}

			@Override
			public void disconnect(Envelope.Disconnect disconnect) {
				calls.add("disconnect");
			}

			@Override
			public void ack(Envelope.Ack ack) {
				calls.add("ack");
			}

			@Override
			public void entry(Envelope.Entry entry) {
				calls.add("entry");
			}

		};
		new Envelope.Message("i", null, Payload.text("t")).dispatchTo(handler);
		new Envelope.RoomChange("i", "r", true, null).dispatchTo(handler);
		new Envelope.Disconnect("i", CloseStatus.NORMAL).dispatchTo(handler);
		new Envelope.Ack("i", "a").dispatchTo(handler);
		new Envelope.Entry("i", new StreamEntry("s", "1-0", "e", "1", null)).dispatchTo(handler);
		assertThat(calls).containsExactly("message", "roomChange", "disconnect", "ack", "entry");
	}

	@Test
	void streamEntryAsTheAppendScriptPublishesItIsRead() {
		// cjson escapes slashes and writes an empty string for "no excluded user".
		String published = "{\"instance\":\"i1\",\"stream\":\"room:a\\/b\",\"id\":\"1-0\",\"epoch\":\"e1\","
				+ "\"data\":\"{\\\"n\\\":1}\",\"excludeUser\":\"\"}";

		Envelope envelope = this.envelopes.read(published);

		assertThat(envelope)
			.isEqualTo(new Envelope.Entry("i1", new StreamEntry("room:a/b", "1-0", "e1", "{\"n\":1}", null)));
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
