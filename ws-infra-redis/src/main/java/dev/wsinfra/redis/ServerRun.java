package dev.wsinfra.redis;

/**
 * Which run of the Redis server the command connection talks to, as last seen (when the
 * instance started, and at each heartbeat), for the append script to tag entries with
 * without asking the server each time. Unknown from the moment the connection drops (the
 * server may have restarted) until a heartbeat sent after that saw it again; the append
 * script then asks the server itself. The recovery script always asks the server, so a
 * stale tag can only make a position unrecoverable, never recovered with entries missing.
 */
final class ServerRun {

	// Guarded by this: bumped each time the command connection drops.
	private long connection;

	// Guarded by this: the run seen on the current connection, or "" when unknown.
	private String run = "";

	/**
	 * Returns the connection generation to pass to {@link #seen} with the run a command
	 * sent now reports.
	 */
	synchronized long generation() {
		return this.connection;
	}

	/** Records the run a command sent at a generation reported. */
	synchronized void seen(long generation, String run) {
		if (generation == this.connection) {
			this.run = run;
		}
	}

	/** Records that the command connection dropped. */
	synchronized void disconnected() {
		this.connection++;
		this.run = "";
	}

	/**
	 * Returns the run, or {@code ""} when unknown.
	 */
	synchronized String run() {
		return this.run;
	}

}
