package dev.wsinfra.server.internal;

import java.util.Map;
import java.util.Objects;

import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.SendType;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketSession;

/**
 * What a manager that delivers through an {@link InMemoryConnectionManager} needs beyond
 * its public API: registering a connection under an id drawn elsewhere, so that a session
 * has one id everywhere, and sending one message to connections chosen elsewhere as one
 * batch. The in-memory manager installs the implementation when its class initializes.
 */
public final class LocalDelivery {

	private static volatile @Nullable Access access;

	private LocalDelivery() {
	}

	/**
	 * Installs the implementation; called once, by the in-memory manager.
	 * @param implementation the implementation
	 */
	public static void install(Access implementation) {
		if (access != null) {
			throw new IllegalStateException("Local delivery is installed already");
		}
		access = implementation;
	}

	/**
	 * Registers a connection under a given id.
	 * @see InMemoryConnectionManager#connect(String, WebSocketSession, Map)
	 */
	public static String connect(InMemoryConnectionManager manager, String connectionId, String userId,
			WebSocketSession session, Map<String, Object> metadata) {
		return access().connect(manager, connectionId, userId, session, metadata);
	}

	/**
	 * Starts a batch: the message is encoded once, queued on each session added, reported
	 * to the send listeners once and handed to the writers in one step by
	 * {@link Batch#submit()}.
	 * @param expectedRecipients a hint for sizing
	 */
	public static Batch batch(InMemoryConnectionManager manager, Object message, SendType type,
			int expectedRecipients) {
		return access().batch(manager, message, type, expectedRecipients);
	}

	private static Access access() {
		Access installed = access;
		if (installed == null) {
			try {
				Class.forName(InMemoryConnectionManager.class.getName(), true,
						InMemoryConnectionManager.class.getClassLoader());
			}
			catch (ClassNotFoundException ex) {
				throw new IllegalStateException(ex);
			}
			installed = Objects.requireNonNull(access, "InMemoryConnectionManager did not install local delivery");
		}
		return installed;
	}

	/** The implementation, which the in-memory manager provides. */
	public interface Access {

		String connect(InMemoryConnectionManager manager, String connectionId, String userId, WebSocketSession session,
				Map<String, Object> metadata);

		Batch batch(InMemoryConnectionManager manager, Object message, SendType type, int expectedRecipients);

	}

	/** One message on its way to connections chosen by the caller. */
	public interface Batch {

		/**
		 * Queues the message on a registered session: at once, so that the order of
		 * queueing is the order of calls, even before {@link #submit()}.
		 * @return whether it was queued ({@code false} for a session not registered,
		 * closed, or past its limits)
		 */
		boolean to(WebSocketSession session);

		/**
		 * Tells the send listeners and hands the connections that were idle to the
		 * writers.
		 * @return the number of sessions the message was queued to
		 */
		int submit();

	}

}
