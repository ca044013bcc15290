package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import dev.wsinfra.internal.LogValues;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.WebSocketSession;

/**
 * Answers the positions a client presents, in its handshake or later: each valid one is
 * recovered by {@link StreamDelivery}, a malformed one and one past the maximum number of
 * streams get {@code recovered:false} at once, a repeated one is ignored.
 */
final class Recoveries {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private final LocalRegistry registry;

	private final StreamDelivery streams;

	private final int maxPositions;

	Recoveries(LocalRegistry registry, StreamDelivery streams, int maxPositions) {
		this.registry = registry;
		this.streams = streams;
		this.maxPositions = maxPositions;
	}

	/**
	 * Recovers the positions a registered session presented after its handshake.
	 * @throws IllegalStateException when the session is not registered
	 */
	List<RecoveryResult> recover(WebSocketSession session, Collection<String> positions) {
		LocalConnection connection = this.registry.connection(session.getId());
		if (connection == null) {
			throw new IllegalStateException("Session " + session.getId() + " is not registered");
		}
		RecoveryRequest request = RecoveryRequest.of(positions, this.maxPositions);
		List<RecoveryResult> results = new ArrayList<>(positions.size());
		for (RecoveryRequest.Item item : request.items()) {
			StreamPosition position = item.position();
			results.add(switch (item.outcome()) {
				case RECOVER -> this.streams.recover(connection, Objects.requireNonNull(position));
				case MALFORMED -> this.streams.malformed(connection);
				case OVER_LIMIT -> this.streams.refuse(connection, Objects.requireNonNull(position).stream());
				case REPEATED -> new RecoveryResult(Objects.requireNonNull(position).stream(), false, 0, null);
			});
		}
		logLimited(connection, request);
		return results;
	}

	/**
	 * Answers the positions of a handshake that are not recovered: malformed ones, and
	 * those of streams past the maximum.
	 */
	void answerUnrecovered(LocalConnection connection, RecoveryRequest request) {
		for (RecoveryRequest.Item item : request.itemsOf(RecoveryRequest.Outcome.MALFORMED)) {
			logger.debug("Malformed recovery position '" + LogValues.escape(item.token()) + "'");
			this.streams.malformed(connection);
		}
		for (RecoveryRequest.Item item : request.itemsOf(RecoveryRequest.Outcome.OVER_LIMIT)) {
			this.streams.refuse(connection, Objects.requireNonNull(item.position()).stream());
		}
		logLimited(connection, request);
	}

	private void logLimited(LocalConnection connection, RecoveryRequest request) {
		if (request.isLimited() && logger.isInfoEnabled()) {
			logger.info("Connection " + connection.id + " of user " + LogValues.escape(connection.userId)
					+ " presented positions for " + request.itemsOf(RecoveryRequest.Outcome.OVER_LIMIT).size()
					+ " stream(s) past the maximum of " + this.maxPositions + ", answered recovered:false, and "
					+ request.itemsOf(RecoveryRequest.Outcome.REPEATED).size() + " repeated position(s), ignored");
		}
	}

}
