package dev.wsinfra.samples.notifications;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.wsinfra.samples.testsupport.SampleClients.assertNothingMore;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;

class NotificationsIntegrationTests extends SampleAppTests {

	@Test
	void aNotificationReachesEveryConnectionOfTheUserAndNobodyElse() {
		WsTestClient phone = this.clients.connect("/ws/notifications", "nina");
		WsTestClient laptop = this.clients.connect("/ws/notifications", "nina");
		WsTestClient other = this.clients.connect("/ws/notifications", "oscar");
		HttpResponse<String> response = this.clients.post("/api/notify/nina",
				Map.of("title", "Order shipped", "order", 42), this.clients.token("ops", "notify"));
		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(response.body()).contains("\"online\":true");
		for (WsTestClient client : new WsTestClient[] { phone, laptop }) {
			JsonNode notification = next(client);
			assertThat(notification.path("type").asString()).isEqualTo("notification");
			assertThat(notification.path("data").path("title").asString()).isEqualTo("Order shipped");
			assertThat(notification.path("data").path("order").asInt()).isEqualTo(42);
		}
		assertNothingMore(other);
	}

	@Test
	void theRestCallNeedsATokenWithTheNotifyScope() {
		Map<String, String> body = Map.of("title", "nope");
		assertThat(this.clients.post("/api/notify/nina", body, null).statusCode()).isEqualTo(401);
		assertThat(this.clients.post("/api/notify/nina", body, "not-a-jwt").statusCode()).isEqualTo(401);
		assertThat(this.clients.post("/api/notify/nina", body, this.clients.token("ops")).statusCode()).isEqualTo(403);
		HttpResponse<String> offline = this.clients.post("/api/notify/nobody-here", body,
				this.clients.token("ops", "notify"));
		assertThat(offline.statusCode()).isEqualTo(202);
		assertThat(offline.body()).contains("\"online\":false");
	}

	@Test
	void heartbeatsAreAnsweredAndOtherMessagesAreErrors() {
		WsTestClient client = this.clients.connect("/ws/notifications", "paul");
		client.sendJson(Map.of("type", "ping"));
		assertThat(next(client).path("type").asString()).isEqualTo("pong");
		client.sendJson(Map.of("type", "subscribe"));
		assertError(next(client), "unknown_type");
		client.sendJson(Map.of("kind", "ping"));
		assertError(next(client), "invalid_message");
		client.send("ping");
		assertError(next(client), "bad_message");
		client.sendJson(Map.of("type", "ping"));
		assertThat(next(client).path("type").asString()).isEqualTo("pong");
	}

}
