package dev.wsinfra;

/**
 * Lifecycle of a WebSocket connection.
 *
 * @since 0.1.0
 */
public enum ConnectionState {

	/** Not connected yet, or disconnected and not trying again. */
	DISCONNECTED,

	/** Opening handshake in progress. */
	CONNECTING,

	/** Open: messages flow both ways. */
	CONNECTED,

	/** The connection dropped and a new one is being attempted. */
	RECONNECTING,

	/** Close handshake in progress. */
	CLOSING,

	/** Closed for good. */
	CLOSED

}
