package dev.wsinfra.redis;

import java.util.concurrent.atomic.AtomicLong;

import dev.wsinfra.internal.LogValues;
import dev.wsinfra.redis.internal.Envelope;
import dev.wsinfra.redis.internal.Envelopes;
import dev.wsinfra.redis.internal.KeyLayout;
import dev.wsinfra.redis.internal.KeyLayout.ChannelTarget;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Carries out what arrives from Redis, on the backend's inbound thread, in arrival order:
 * messages go to local connections, stream entries through the connections' cursors, room
 * changes into the registry, disconnect commands to the local connections of the user,
 * and acknowledgements to the room joins waiting for them. An instance skips its own
 * plain messages and commands (it applied them when it sent them), not its stream
 * entries, so that each instance sees a stream's entries in stream order.
 */
final class Inbound {

	private static final Log logger = LogFactory.getLog(RedisConnectionManager.class);

	private final String instanceId;

	private final KeyLayout keys;

	private final Envelopes envelopes;

	private final LocalRegistry registry;

	private final LocalSends sends;

	private final StreamDelivery streams;

	private final RoomMembership rooms;

	private final AtomicLong received;

	Inbound(String instanceId, KeyLayout keys, Envelopes envelopes, LocalRegistry registry, LocalSends sends,
			StreamDelivery streams, RoomMembership rooms, AtomicLong received) {
		this.instanceId = instanceId;
		this.keys = keys;
		this.envelopes = envelopes;
		this.registry = registry;
		this.sends = sends;
		this.streams = streams;
		this.rooms = rooms;
		this.received = received;
	}

	/**
	 * Handles a payload that arrived on a channel; never throws.
	 */
	void message(String channel, String payload) {
		try {
			ChannelTarget target = this.keys.parseChannel(channel);
			Envelope envelope = this.envelopes.read(payload);
			if (target == null || envelope == null) {
				logger.debug("Ignoring a message on " + LogValues.escape(channel) + " that is not ws-infra's");
				return;
			}
			envelope.dispatchTo(new Dispatch(target));
		}
		catch (RuntimeException ex) {
			logger.error("Delivering a message from " + LogValues.escape(channel) + " failed", ex);
		}
	}

	/** One payload's handling, by its kind and the channel it came on. */
	private final class Dispatch implements Envelope.Handler {

		private final ChannelTarget target;

		Dispatch(ChannelTarget target) {
			this.target = target;
		}

		@Override
		public void entry(Envelope.Entry entry) {
			Inbound.this.received.incrementAndGet();
			Inbound.this.streams.deliver(this.target, entry.entry());
		}

		@Override
		public void ack(Envelope.Ack ack) {
			if (this.target.kind() == ChannelTarget.Kind.ACK) {
				Inbound.this.rooms.acknowledged(ack.id());
			}
		}

		@Override
		public void roomChange(Envelope.RoomChange change) {
			String ack = change.ack();
			if (isOwn(change)) {
				if (ack != null) {
					// This instance's own notice: the change applied it here already.
					Inbound.this.rooms.acknowledged(ack);
				}
				return;
			}
			if (receivedOn(ChannelTarget.Kind.USER)) {
				Inbound.this.registry.change(this.target.name(),
						new LocalUser.RoomChange(change.room(), change.joined()));
				if (ack != null && change.joined()) {
					Inbound.this.rooms.acknowledgeJoin(change.instance(), change.room(), ack);
				}
				else if (ack != null) {
					Inbound.this.rooms.acknowledgeLeave(change.instance(), ack);
				}
			}
		}

		@Override
		public void disconnect(Envelope.Disconnect disconnect) {
			if (!isOwn(disconnect) && receivedOn(ChannelTarget.Kind.USER)) {
				Inbound.this.sends.disconnect(this.target.name(), disconnect.status());
			}
		}

		@Override
		public void message(Envelope.Message message) {
			if (isOwn(message)) {
				return;
			}
			Inbound.this.received.incrementAndGet();
			Object local = message.payload().toLocalMessage();
			switch (this.target.kind()) {
				case BROADCAST -> Inbound.this.sends.broadcast(local, message.excludeUser());
				case ROOM -> Inbound.this.sends.toRoom(this.target.name(), local, message.excludeUser());
				case USER -> Inbound.this.sends.toUser(this.target.name(), local);
				case ACK -> {
				}
			}
		}

		// This instance's own, or on an acknowledgement channel, which carries nothing
		// else that counts.
		private boolean isOwn(Envelope envelope) {
			return this.target.kind() == ChannelTarget.Kind.ACK || envelope.instance().equals(Inbound.this.instanceId);
		}

		// A command counts as received wherever it arrives; it is carried out only on a
		// user's channel.
		private boolean receivedOn(ChannelTarget.Kind kind) {
			Inbound.this.received.incrementAndGet();
			return this.target.kind() == kind;
		}

	}

}
