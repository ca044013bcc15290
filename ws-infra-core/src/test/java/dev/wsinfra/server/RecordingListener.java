package dev.wsinfra.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the connection events a manager emits.
 */
final class RecordingListener implements ConnectionListener {

	private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();

	@Override
	public void onEvent(ConnectionEvent event) {
		this.events.add(event);
	}

	List<ConnectionEvent> events() {
		return List.copyOf(this.events);
	}

	void clear() {
		this.events.clear();
	}

	int count() {
		return this.events.size();
	}

	long countFor(String connectionId) {
		return this.events.stream().filter((event) -> event.connectionId().equals(connectionId)).count();
	}

}
