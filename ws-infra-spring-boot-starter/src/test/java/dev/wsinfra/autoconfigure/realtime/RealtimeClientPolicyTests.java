package dev.wsinfra.autoconfigure.realtime;

import java.util.Set;

import dev.wsinfra.realtime.RealtimeClientPolicy;
import dev.wsinfra.realtime.RealtimeClientPolicy.RestrictedFields;
import dev.wsinfra.realtime.RealtimeVerdict;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class RealtimeClientPolicyTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String UPDATE = """
			{"type": "realtime", "instructions": "x", "tools": [],
			 "audio": {"input": {"turn_detection": {"type": "server_vad"}, "format": {"type": "audio/pcmu"}},
			           "output": {"voice": "v"}}}""";

	private static RealtimeClientPolicy policy(RestrictedFields restricted) {
		return new RealtimeClientPolicy(Set.of("session.update"), Set.of("type", "audio.input.turn_detection"),
				restricted);
	}

	@Test // #17
	void refusesNamingEveryRestrictedPathButNoAllowedOne() {
		ObjectNode settings = (ObjectNode) json.readTree(UPDATE);
		RealtimeVerdict verdict = policy(RestrictedFields.REFUSE).checkSettings("session.update", settings);
		assertThat(verdict.accepted()).isFalse();
		assertThat(verdict.code()).isEqualTo("restricted_field");
		assertThat(verdict.message()).contains("instructions", "tools", "audio.input.format", "audio.output")
			.doesNotContain("turn_detection");
		assertThat(settings).isEqualTo(json.readTree(UPDATE));
	}

	@Test // #17
	void filtersTheRestrictedPathsOutAndKeepsTheAllowedOnes() {
		ObjectNode settings = (ObjectNode) json.readTree(UPDATE);
		RealtimeVerdict verdict = policy(RestrictedFields.FILTER).checkSettings("session.update", settings);
		assertThat(verdict.accepted()).isTrue();
		assertThat(settings).isEqualTo(json.readTree(
				"{\"type\": \"realtime\", \"audio\": {\"input\": {\"turn_detection\": {\"type\": \"server_vad\"}}}}"));
	}

	@Test // #17
	void acceptsSettingsWithinTheAllowList() {
		ObjectNode settings = (ObjectNode) json.readTree("{\"audio\": {\"input\": {\"turn_detection\": null}}}");
		assertThat(policy(RestrictedFields.REFUSE).checkSettings("session.update", settings).accepted()).isTrue();
		assertThat(policy(RestrictedFields.REFUSE).allowsEvent("session.update")).isTrue();
		assertThat(policy(RestrictedFields.REFUSE).allowsEvent("response.create")).isFalse();
	}

}
