package dev.wsinfra.internal;

import org.jspecify.annotations.Nullable;

/**
 * Marks the thread that is delivering a message a session received, while it does. A
 * connection manager writes a reply to that session on this thread, before the container
 * reads the session's next frame: a frame that breaks the protocol makes the container
 * send its close frame at once, and a reply still queued would be lost behind it. Other
 * threads' sends to the session are queued as usual.
 */
public final class ReceivingThread {

	private static final ThreadLocal<@Nullable String> SESSION = new ThreadLocal<>();

	private ReceivingThread() {
	}

	/**
	 * Marks the calling thread as delivering a message of the given session.
	 * @param sessionId the session's id
	 * @return the mark it replaces, for {@link #exit}
	 */
	public static @Nullable String enter(String sessionId) {
		String previous = SESSION.get();
		SESSION.set(sessionId);
		return previous;
	}

	/**
	 * Restores the mark {@link #enter} replaced.
	 * @param previous what {@link #enter} returned
	 */
	public static void exit(@Nullable String previous) {
		if (previous != null) {
			SESSION.set(previous);
		}
		else {
			SESSION.remove();
		}
	}

	/**
	 * Returns whether the calling thread is delivering a message of the given session.
	 * @param sessionId the session's id
	 * @return {@code true} on the session's receiving thread
	 */
	public static boolean isReceiving(String sessionId) {
		return sessionId.equals(SESSION.get());
	}

}
