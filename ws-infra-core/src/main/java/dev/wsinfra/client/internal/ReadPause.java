package dev.wsinfra.client.internal;

/**
 * Whether the transport's reading thread is held by the client, waiting for the
 * application to take messages or running its listener. While it is, nothing is read from
 * the socket, so a pong cannot arrive either: keepalive does not count that time against
 * the peer.
 */
public final class ReadPause {

	// Written by the reading thread only; read by the keepalive timer.
	private volatile boolean paused;

	private volatile long resumedAt = System.nanoTime();

	/**
	 * Marks the reading thread as held.
	 */
	public void pause() {
		this.paused = true;
	}

	/**
	 * Marks the reading thread as reading again.
	 */
	public void resume() {
		this.resumedAt = System.nanoTime();
		this.paused = false;
	}

	/**
	 * Returns whether the reading thread is held now.
	 * @return {@code true} while paused
	 */
	public boolean isPaused() {
		return this.paused;
	}

	/**
	 * Returns when reading last resumed.
	 * @return a {@link System#nanoTime()} value
	 */
	public long resumedAt() {
		return this.resumedAt;
	}

}
