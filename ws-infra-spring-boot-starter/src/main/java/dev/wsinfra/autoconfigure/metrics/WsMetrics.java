package dev.wsinfra.autoconfigure.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.wsinfra.autoconfigure.internal.CloseReason;
import dev.wsinfra.autoconfigure.internal.EndpointObserver;
import dev.wsinfra.autoconfigure.internal.InstanceId;
import dev.wsinfra.server.CloseStatuses;
import dev.wsinfra.server.ConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.SendListener;
import dev.wsinfra.server.SendType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * ws-infra's meters, named after the seed's Prometheus metrics and tagged with the
 * instance: {@code websocket.connections.total}, {@code websocket.connections.active},
 * {@code websocket.messages.sent} by send type (messages queued on this instance's
 * connections, one per connection, as the manager reports them to its
 * {@link SendListener}s), {@code websocket.messages.received} and
 * {@code websocket.message.processing} by type, plus {@code websocket.closes} by reason
 * for the closes the library initiates, {@code websocket.handshakes.rejected} by reason
 * and {@code websocket.requests}, a timer of the clients' requests by outcome.
 */
final class WsMetrics implements EndpointObserver, SendListener {

	static final String CONNECTIONS_TOTAL = "websocket.connections.total";

	static final String CONNECTIONS_ACTIVE = "websocket.connections.active";

	static final String MESSAGES_SENT = "websocket.messages.sent";

	static final String MESSAGES_RECEIVED = "websocket.messages.received";

	static final String MESSAGE_PROCESSING = "websocket.message.processing";

	static final String MESSAGES_DROPPED = "websocket.messages.dropped";

	/**
	 * The tag with the instance id; the seed's label {@code instance}, renamed because
	 * Prometheus gives every scraped series an {@code instance} label of its own (the
	 * target) and would rename the application's to {@code exported_instance}.
	 */
	static final String INSTANCE_TAG = "instance.id";

	static final String CLOSES = "websocket.closes";

	static final String HANDSHAKES_REJECTED = "websocket.handshakes.rejected";

	static final String REQUESTS = "websocket.requests";

	private final MeterRegistry registry;

	private final Tags tags;

	private final Counter connectionsTotal;

	private final Map<String, Counter> received = new ConcurrentHashMap<>();

	// Indexed by SendType ordinal.
	private final Counter[] sent;

	private final Map<String, Timer> processing = new ConcurrentHashMap<>();

	private final Map<String, Counter> closes = new ConcurrentHashMap<>();

	private final Map<String, Counter> rejections = new ConcurrentHashMap<>();

	private final Map<String, Timer> requests = new ConcurrentHashMap<>();

	WsMetrics(MeterRegistry registry, ConnectionManager manager, InstanceId instanceId) {
		this.registry = registry;
		this.tags = Tags.of(INSTANCE_TAG, instanceId.value());
		this.connectionsTotal = Counter.builder(CONNECTIONS_TOTAL)
			.description("Total WebSocket connections")
			.tags(this.tags)
			.register(registry);
		Gauge.builder(CONNECTIONS_ACTIVE, manager, ConnectionManager::connectionCount)
			.description("Currently active WebSocket connections")
			.tags(this.tags)
			.register(registry);
		if (manager instanceof InMemoryConnectionManager inMemory) {
			FunctionCounter.builder(MESSAGES_DROPPED, inMemory, InMemoryConnectionManager::droppedMessageCount)
				.description("Messages dropped for slow consumers under the drop-oldest policy")
				.tags(this.tags)
				.register(registry);
		}
		SendType[] types = SendType.values();
		this.sent = new Counter[types.length];
		for (SendType type : types) {
			this.sent[type.ordinal()] = Counter.builder(MESSAGES_SENT)
				.description("Total messages sent")
				.tags(this.tags)
				.tag("type", type.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
		manager.onConnect((event) -> this.connectionsTotal.increment());
		manager.onDisconnect((event) -> {
			if (CloseStatuses.SLOW_CONSUMER.equals(event.closeStatus())) {
				closed(CloseReason.SLOW_CONSUMER);
			}
		});
		manager.onSend(this);
	}

	@Override
	public void handshakeRejected(String reason) {
		this.rejections
			.computeIfAbsent(reason,
					(key) -> Counter.builder(HANDSHAKES_REJECTED)
						.description("WebSocket handshakes refused, by reason")
						.tags(this.tags)
						.tag("reason", key)
						.register(this.registry))
			.increment();
	}

	@Override
	public void closed(CloseReason reason) {
		this.closes
			.computeIfAbsent(reason.tag(),
					(key) -> Counter.builder(CLOSES)
						.description("WebSocket connections closed by the server, by reason")
						.tags(this.tags)
						.tag("reason", key)
						.register(this.registry))
			.increment();
	}

	@Override
	public void messageReceived(String type, long nanos) {
		this.received
			.computeIfAbsent(type,
					(key) -> Counter.builder(MESSAGES_RECEIVED)
						.description("Total messages received")
						.tags(this.tags)
						.tag("type", key)
						.register(this.registry))
			.increment();
		processingTimer(type).record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void requestHandled(String outcome, long nanos) {
		this.requests
			.computeIfAbsent(outcome,
					(key) -> Timer.builder(REQUESTS)
						.description("Requests of clients (ws.request) from arrival to reply, by outcome")
						.tags(this.tags)
						.tag("outcome", key)
						.register(this.registry))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void onSend(SendType type, int connections) {
		this.sent[type.ordinal()].increment(connections);
	}

	private Timer processingTimer(String type) {
		return this.processing.computeIfAbsent(type,
				(key) -> Timer.builder(MESSAGE_PROCESSING)
					.description("Message processing duration")
					.tags(this.tags)
					.tag("type", key)
					.register(this.registry));
	}

}
