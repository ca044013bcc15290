package dev.wsinfra.samples.realtime;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class RealtimeEndpointIntegrationTests extends SampleAppTests {

	@Test
	void theAppTalksToTheRealtimeApiAndAnswersTheAudio() {
		HttpResponse<String> response = this.clients.post("/api/realtime", Map.of("instructions", "Say hi"),
				this.clients.token("operator", "realtime"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = JsonMapper.builder().build().readTree(response.body());
		assertThat(body.path("completed").asBoolean()).isTrue();
		assertThat(body.path("sessionStarted").asBoolean()).isTrue();
		assertThat(Base64.getDecoder().decode(body.path("audio").asString())).containsExactly(1, 2, 3, 4, 5, 6, 7, 8,
				9);
		assertThat(body.path("audioBytes").asInt()).isEqualTo(9);
		assertThat(body.path("errors").get(0).path("error").path("message").asString()).isEqualTo("stand-in failure");
		assertThat(response.body()).doesNotContain("test-key");
	}

	@Test
	void itNeedsATokenWithTheRealtimeScope() {
		assertThat(this.clients.post("/api/realtime", Map.of(), null).statusCode()).isEqualTo(401);
		assertThat(this.clients.post("/api/realtime", Map.of(), this.clients.token("operator", "notify")).statusCode())
			.isEqualTo(403);
	}

}
