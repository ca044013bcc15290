package dev.wsinfra.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.wsinfra.internal.LogValues;
import dev.wsinfra.redis.internal.Envelopes;
import dev.wsinfra.redis.internal.KeyLayout;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

/**
 * Room joins and leaves of a running manager: each is one step in Redis that also tells
 * the user's instances on the user's channel; a join returns once every instance holding
 * the user acknowledged that it is subscribed to the room's channel. The instance that
 * made the change tells the room, when room notices are on, and returns once Redis took
 * the notice. While Redis is unreachable the change is applied here and queued for Redis.
 */
final class RoomMembership {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private final String instanceId;

	private final Duration timeout;

	private final KeyLayout keys;

	private final Envelopes envelopes;

	private final RedisBackend backend;

	private final RedisHealth health;

	private final LocalRegistry registry;

	private final ClusterMaintenance maintenance;

	private final ClusterSends sends;

	private final RoomChangeAcknowledgements acknowledgements = new RoomChangeAcknowledgements();

	RoomMembership(RedisConnectionManagerOptions options, KeyLayout keys, Envelopes envelopes, RedisBackend backend,
			RedisHealth health, LocalRegistry registry, ClusterMaintenance maintenance, ClusterSends sends) {
		this.sends = sends;
		this.instanceId = options.instanceId();
		this.timeout = options.commandTimeout();
		this.keys = keys;
		this.envelopes = envelopes;
		this.backend = backend;
		this.health = health;
		this.registry = registry;
		this.maintenance = maintenance;
	}

	boolean join(String userId, String room) {
		if (this.health.isAvailable()) {
			RoomChangeAcknowledgements.Pending pending = this.acknowledgements.begin();
			try {
				PresenceStore.RoomChange join = this.backend.presence.joinRoom(userId, room,
						this.envelopes.roomChange(this.instanceId, room, true, pending.id));
				if (join.result() < 0) {
					return false;
				}
				this.registry.change(userId, new LocalUser.RoomChange(room, true));
				this.maintenance.awaitQuietly(this.backend.subscriptions.confirmation(this.keys.roomChannel(room)),
						"subscribe");
				if (join.result() == 1) {
					awaitAcknowledgements(pending, join.notified(), userId, "joining", room);
					awaitNotice(this.sends.joined(userId, room));
				}
				return join.result() == 1;
			}
			catch (DataAccessException ex) {
				this.health.unavailable(ex);
			}
			finally {
				this.acknowledgements.end(pending);
			}
		}
		return changeLocallyOnly(userId, room, true);
	}

	/**
	 * Removes a user from a room. On a Redis Cluster the leave notice (on the user's
	 * channel) and the room's later messages (on its channel) travel through different
	 * nodes, so the leave waits, as a join does, until every instance holding the user
	 * applied it: a room message sent once it returned no longer reaches the user. On one
	 * Redis both travel on each instance's one pub/sub connection, in order.
	 */
	boolean leave(String userId, String room) {
		if (this.health.isAvailable()) {
			RoomChangeAcknowledgements.Pending pending = this.backend.sharded() ? this.acknowledgements.begin() : null;
			try {
				PresenceStore.RoomChange leave = this.backend.presence.leaveRoom(userId, room,
						this.envelopes.roomChange(this.instanceId, room, false, (pending != null) ? pending.id : null));
				this.registry.change(userId, new LocalUser.RoomChange(room, false));
				if (leave.result() == 1) {
					if (pending != null) {
						awaitAcknowledgements(pending, leave.notified(), userId, "leaving", room);
					}
					awaitNotice(this.sends.left(userId, room));
				}
				return leave.result() == 1;
			}
			catch (DataAccessException ex) {
				this.health.unavailable(ex);
			}
			finally {
				if (pending != null) {
					this.acknowledgements.end(pending);
				}
			}
		}
		return changeLocallyOnly(userId, room, false);
	}

	/** Counts an acknowledgement of a join, from any instance, this one included. */
	void acknowledged(String id) {
		this.acknowledgements.acknowledged(id);
	}

	/**
	 * Tells the instance that joined a user to a room that this one is subscribed to the
	 * room's channel, once Redis confirmed it.
	 */
	void acknowledgeJoin(String joiningInstance, String room, String ack) {
		this.backend.subscriptions.confirmation(this.keys.roomChannel(room)).whenComplete((subscribed, failure) -> {
			if (failure == null) {
				this.sends.acknowledge(joiningInstance, ack);
			}
		});
	}

	/**
	 * Tells the instance that removed a user from a room that this one applied it, once
	 * it did.
	 */
	void acknowledgeLeave(String leavingInstance, String ack) {
		this.sends.acknowledge(leavingInstance, ack);
	}

	/**
	 * Waits, at most the command timeout, until every instance holding the user (this one
	 * included) acknowledged the change: subscribed to the room's channel for a join,
	 * applied for a leave.
	 */
	private void awaitAcknowledgements(RoomChangeAcknowledgements.Pending pending, int expected, String userId,
			String change, String room) {
		try {
			if (!pending.await(expected, this.timeout)) {
				logger.info("Not every instance holding user " + LogValues.escape(userId) + " acknowledged " + change
						+ " room " + LogValues.escape(room) + " within " + this.timeout
						+ "; they apply it once they catch up");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	// Published without waiting, the notice could reach Redis after a join that another
	// instance makes once this change returned, and so reach a member who joined later.
	private void awaitNotice(CompletableFuture<?> notice) {
		this.maintenance.awaitQuietly(notice, "room notice");
	}

	// Told to this instance's members of the room only, like any send while Redis is
	// unreachable; replaying the change to Redis later tells no one again.
	private boolean changeLocallyOnly(String userId, String room, boolean join) {
		if (this.registry.changeLocallyOnly(userId, room, join)) {
			this.maintenance.queue(userId, room, join);
			if (join) {
				this.sends.joined(userId, room);
			}
			else {
				this.sends.left(userId, room);
			}
			return true;
		}
		return false;
	}

}
