package dev.wsinfra.security;

import java.util.Optional;

/**
 * Checks API keys for endpoints with the {@link WsAuth#PROTECTED} policy. Define one as a
 * bean; the key comes from the {@code X-API-Key} header or the {@code api_key} query
 * parameter (see {@code ws.auth.api-key.*}).
 * <p>
 * Called on the thread that handles the handshake, once per handshake that carries a key
 * and no JWT; it may block briefly (a lookup), which holds that thread. The key must
 * never be logged.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface WsApiKeyAuthenticator {

	/**
	 * Authenticates an API key.
	 * @param apiKey the key as sent by the client
	 * @return the principal the key stands for, or empty when the key is not valid (the
	 * handshake is answered with 401)
	 */
	Optional<WsPrincipal> authenticate(String apiKey);

}
