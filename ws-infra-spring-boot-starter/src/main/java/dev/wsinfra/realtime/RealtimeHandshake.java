package dev.wsinfra.realtime;

import java.net.URI;
import java.util.Map;

/**
 * How to open the connection to a realtime provider: the WebSocket URL and the handshake
 * headers. Either may carry the provider key, so neither is ever logged: its
 * {@link #toString()} shows the scheme, host and path only.
 *
 * @param url the {@code ws://} or {@code wss://} URL
 * @param headers the handshake headers, such as {@code Authorization}
 * @since 0.1.0
 */
public record RealtimeHandshake(URI url, Map<String, String> headers) {

	public RealtimeHandshake {
		headers = Map.copyOf(headers);
	}

	@Override
	public String toString() {
		String port = (this.url.getPort() != -1) ? ":" + this.url.getPort() : "";
		return "RealtimeHandshake[" + this.url.getScheme() + "://" + this.url.getHost() + port + this.url.getPath()
				+ ", headers=" + this.headers.keySet() + "]";
	}

}
