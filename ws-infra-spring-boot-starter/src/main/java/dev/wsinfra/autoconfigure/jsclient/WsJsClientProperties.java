package dev.wsinfra.autoconfigure.jsclient;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration properties of the JavaScript client the starter serves, bound from
 * {@code ws.js-client.*}.
 *
 * @param enabled Whether the starter serves ws-infra.js and its TypeScript declarations.
 * @param path Path under which ws-infra.js and ws-infra.d.ts are served.
 * @since 0.1.0
 */
@ConfigurationProperties("ws.js-client")
public record WsJsClientProperties(@DefaultValue("true") boolean enabled, @DefaultValue("/ws-infra") String path) {

	public WsJsClientProperties {
		if (!path.startsWith("/") || path.endsWith("/") || path.contains("*") || path.contains("{")) {
			throw new IllegalArgumentException(
					"ws.js-client.path must start with '/', not end with '/' and hold no pattern, was " + path);
		}
	}

}
