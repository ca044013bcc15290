package dev.wsinfra.samples.docs;

import java.util.Map;

import dev.wsinfra.samples.testsupport.SampleAppTests;
import dev.wsinfra.test.WsTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.wsinfra.samples.testsupport.SampleClients.assertClosedWith;
import static dev.wsinfra.samples.testsupport.SampleClients.assertNothingMore;
import static dev.wsinfra.samples.testsupport.SampleClients.next;
import static org.assertj.core.api.Assertions.assertThat;

class DocumentIntegrationTests extends SampleAppTests {

	@Test
	void editorsSyncOnJoinAndSeeEachOthersOperationsAndCursors() {
		WsTestClient ida = this.clients.connect("/ws/docs/notes", "ida");
		JsonNode sync = next(ida);
		assertThat(sync.path("type").asString()).isEqualTo("sync");
		assertThat(sync.path("content").asString()).isEmpty();
		assertThat(sync.path("version").asLong()).isZero();

		ida.sendJson(Map.of("type", "insert", "position", 0, "content", "hello world", "version", 0));
		JsonNode ack = next(ida);
		assertThat(ack.path("type").asString()).isEqualTo("ack");
		assertThat(ack.path("version").asLong()).isEqualTo(1);

		WsTestClient jon = this.clients.connect("/ws/docs/notes", "jon");
		JsonNode joined = next(jon);
		assertThat(joined.path("content").asString()).isEqualTo("hello world");
		assertThat(joined.path("version").asLong()).isEqualTo(1);
		JsonNode hello = next(ida);
		assertThat(hello.path("type").asString()).isEqualTo("user_joined");
		assertThat(hello.path("user_id").asString()).isEqualTo("jon");

		jon.sendJson(Map.of("type", "delete", "position", 5, "length", 6, "version", 1));
		assertThat(next(jon).path("version").asLong()).isEqualTo(2);
		JsonNode operation = next(ida);
		assertThat(operation.path("type").asString()).isEqualTo("operation");
		assertThat(operation.path("version").asLong()).isEqualTo(2);
		assertThat(operation.path("operation").path("type").asString()).isEqualTo("delete");
		assertThat(operation.path("operation").path("position").asInt()).isEqualTo(5);
		assertThat(operation.path("operation").path("length").asInt()).isEqualTo(6);
		assertThat(operation.path("operation").path("user_id").asString()).isEqualTo("jon");

		ida.sendJson(Map.of("type", "cursor", "position", 5));
		JsonNode cursor = next(jon);
		assertThat(cursor.path("type").asString()).isEqualTo("cursor");
		assertThat(cursor.path("user_id").asString()).isEqualTo("ida");
		assertThat(cursor.path("position").asInt()).isEqualTo(5);
		assertNothingMore(ida);

		jon.sendJson(Map.of("type", "sync"));
		JsonNode resync = next(jon);
		assertThat(resync.path("content").asString()).isEqualTo("hello");
		assertThat(resync.path("cursors").path("ida").asInt()).isEqualTo(5);

		jon.close();
		JsonNode left = next(ida);
		assertThat(left.path("type").asString()).isEqualTo("user_left");
		assertThat(left.path("user_id").asString()).isEqualTo("jon");
	}

	@Test
	void anEditMadeOnAnOlderVersionIsTransformedOverTheConcurrentOnes() {
		WsTestClient kim = this.clients.connect("/ws/docs/race", "kim");
		next(kim);
		kim.sendJson(Map.of("type", "insert", "position", 0, "content", "hello world", "version", 0));
		next(kim);
		WsTestClient lou = this.clients.connect("/ws/docs/race", "lou");
		next(lou);
		next(kim);
		// both edit version 1; kim's insert reaches the server first
		kim.sendJson(Map.of("type", "insert", "position", 6, "content", "big ", "version", 1));
		next(kim);
		next(lou);
		lou.sendJson(Map.of("type", "delete", "position", 6, "length", 5, "version", 1));
		JsonNode ack = next(lou);
		assertThat(ack.path("version").asLong()).isEqualTo(3);
		assertThat(ack.path("operations").get(0).path("position").asInt()).isEqualTo(10);
		JsonNode operation = next(kim);
		assertThat(operation.path("operation").path("position").asInt()).isEqualTo(10);
		kim.sendJson(Map.of("type", "sync"));
		assertThat(next(kim).path("content").asString()).isEqualTo("hello big ");
	}

	@Test
	void editsOutsideTheTextAndBadMessagesAreErrors() {
		WsTestClient max = this.clients.connect("/ws/docs/bounds", "max");
		next(max);
		max.sendJson(Map.of("type", "insert", "position", 1, "content", "x"));
		assertError(next(max), "out_of_range");
		max.sendJson(Map.of("type", "insert", "position", 0, "content", "abc"));
		next(max);
		max.sendJson(Map.of("type", "delete", "position", 2, "length", 5));
		assertError(next(max), "out_of_range");
		max.sendJson(Map.of("type", "delete", "position", -1, "length", 1));
		assertError(next(max), "out_of_range");
		max.sendJson(Map.of("type", "delete", "position", 0, "length", 0));
		assertError(next(max), "out_of_range");
		max.sendJson(Map.of("type", "cursor", "position", 4));
		assertError(next(max), "out_of_range");
		max.sendJson(Map.of("type", "insert", "position", 0, "content", "x", "version", 99));
		assertError(next(max), "version_unknown");
		max.sendJson(Map.of("type", "insert", "position", 0, "content", ""));
		assertError(next(max), "invalid_message");
		max.sendJson(Map.of("type", "insert", "position", "0", "content", "x"));
		assertError(next(max), "invalid_message");
		max.sendJson(Map.of("type", "delete", "position", 0));
		assertError(next(max), "invalid_message");
		max.sendJson(Map.of("type", "retain", "position", 0));
		assertError(next(max), "unknown_type");
		max.send("{\"type\":\"insert\",");
		assertError(next(max), "bad_message");
		max.sendJson(Map.of("type", "sync"));
		assertThat(next(max).path("content").asString()).isEqualTo("abc");
	}

	@Test
	void anInvalidDocumentNameClosesWith1008() {
		assertClosedWith(this.clients.connect("/ws/docs/" + "d".repeat(65), "ned"), 1008);
	}

}
