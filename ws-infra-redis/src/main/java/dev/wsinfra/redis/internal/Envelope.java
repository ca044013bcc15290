package dev.wsinfra.redis.internal;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * A decoded pub/sub payload, one record per kind. Each kind hands itself to the matching
 * method of a {@link Handler}: the interface has one method per kind and every record
 * must implement {@link #dispatchTo}, so the compiler checks that a handler covers every
 * kind, without a cast (which a switch over a kind enum would still need on Java 17).
 */
public sealed interface Envelope
		permits Envelope.Message, Envelope.RoomChange, Envelope.Disconnect, Envelope.Ack, Envelope.Entry {

	/**
	 * Returns the instance that published it.
	 * @return the instance id
	 */
	String instance();

	/**
	 * Calls the handler's method for this kind.
	 * @param handler the handler
	 */
	void dispatchTo(Handler handler);

	/** What a reader does with each kind. */
	interface Handler {

		void message(Message message);

		void roomChange(RoomChange change);

		void disconnect(Disconnect disconnect);

		void ack(Ack ack);

		void entry(Entry entry);

	}

	/**
	 * A plain message, text or binary.
	 *
	 * @param instance the publishing instance
	 * @param excludeUser the user to skip, if any
	 * @param payload the message
	 */
	record Message(String instance, @Nullable String excludeUser, Payload payload) implements Envelope {

		@Override
		public void dispatchTo(Handler handler) {
			handler.message(this);
		}

	}

	/**
	 * A user joined or left a room, told to the user's instances.
	 *
	 * @param instance the publishing instance
	 * @param room the room
	 * @param joined {@code true} for a join, {@code false} for a leave
	 * @param ack for a join, the id its sender waits to have acknowledged, if any
	 */
	record RoomChange(String instance, String room, boolean joined, @Nullable String ack) implements Envelope {

		@Override
		public void dispatchTo(Handler handler) {
			handler.roomChange(this);
		}

	}

	/**
	 * Close every connection of the user whose channel it is published on.
	 *
	 * @param instance the publishing instance
	 * @param status the close status
	 */
	record Disconnect(String instance, CloseStatus status) implements Envelope {

		@Override
		public void dispatchTo(Handler handler) {
			handler.disconnect(this);
		}

	}

	/**
	 * An instance acknowledges a room join: it is subscribed to the room's channel.
	 *
	 * @param instance the acknowledging instance
	 * @param id the id the join carried
	 */
	record Ack(String instance, String id) implements Envelope {

		@Override
		public void dispatchTo(Handler handler) {
			handler.ack(this);
		}

	}

	/**
	 * An entry of a persistent stream, published by the append script.
	 *
	 * @param instance the appending instance
	 * @param entry the entry
	 */
	record Entry(String instance, StreamEntry entry) implements Envelope {

		@Override
		public void dispatchTo(Handler handler) {
			handler.entry(this);
		}

	}

}
