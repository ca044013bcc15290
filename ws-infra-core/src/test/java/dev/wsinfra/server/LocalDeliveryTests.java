package dev.wsinfra.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wsinfra.server.internal.LocalDelivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a manager built on the in-memory one reaches through {@link LocalDelivery}.
 */
class LocalDeliveryTests {

	private final InMemoryConnectionManager manager = new InMemoryConnectionManager();

	@AfterEach
	void closeManager() {
		this.manager.close();
	}

	@Test // #13
	void aConnectionRegisteredUnderAGivenIdKeepsItEverywhere() {
		List<String> connected = new CopyOnWriteArrayList<>();
		this.manager.onConnect((event) -> connected.add(event.connectionId()));
		RecordingSession session = new RecordingSession();

		String id = LocalDelivery.connect(this.manager, "c-42", "alice", session, Map.of("k", "v"));

		assertThat(id).isEqualTo("c-42");
		assertThat(connected).containsExactly("c-42");
		assertThat(this.manager.getUserConnections("alice")).singleElement()
			.satisfies((info) -> assertThat(info.connectionId()).isEqualTo("c-42"));
		assertThat(LocalDelivery.connect(this.manager, "c-43", "alice", session, Map.of())).isEqualTo("c-42");
	}

	@Test // #13
	void aBatchReachesTheChosenSessionsAndIsReportedOnce() throws Exception {
		List<String> reports = new CopyOnWriteArrayList<>();
		this.manager.onSend((type, connections) -> reports.add(type + " " + connections));
		RecordingSession alice = new RecordingSession();
		RecordingSession bob = new RecordingSession();
		RecordingSession carol = new RecordingSession();
		this.manager.connect("alice", alice);
		this.manager.connect("bob", bob);
		this.manager.connect("carol", carol);

		LocalDelivery.Batch batch = LocalDelivery.batch(this.manager, "entry", SendType.PERSISTENT, 2);
		assertThat(batch.to(alice)).isTrue();
		assertThat(batch.to(carol)).isTrue();
		assertThat(batch.to(new RecordingSession())).isFalse();
		assertThat(batch.submit()).isEqualTo(2);
		this.manager.broadcast("marker");

		assertThat(alice.nextText()).isEqualTo("entry");
		assertThat(carol.nextText()).isEqualTo("entry");
		assertThat(bob.nextText()).isEqualTo("marker");
		assertThat(reports).containsExactly("PERSISTENT 2", "BROADCAST 3");
	}

}
