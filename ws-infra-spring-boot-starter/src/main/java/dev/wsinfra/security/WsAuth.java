package dev.wsinfra.security;

/**
 * The authentication policy of a WebSocket endpoint, checked during the handshake. A
 * handshake without the credentials a policy needs, or with invalid ones, is answered
 * with 401; one whose principal lacks a required scope with 403. Neither is upgraded. An
 * endpoint's scopes bind every principal it accepts, whatever its policy.
 *
 * @since 0.1.0
 */
public enum WsAuth {

	/** No credentials needed; any credentials sent are ignored, even malformed ones. */
	PUBLIC,

	/** A valid JWT or a valid API key. */
	PROTECTED,

	/** A valid JWT; API keys are not accepted. */
	USER,

	/**
	 * A valid JWT carrying all the endpoint's scopes, or any of them when so declared.
	 */
	SCOPES,

	/**
	 * Anonymous connections are allowed; a JWT, when sent, must be valid and carry the
	 * endpoint's scopes. An API key is refused, as on every policy but
	 * {@link #PROTECTED}.
	 */
	OPTIONAL;

	/**
	 * Returns whether this policy accepts API keys.
	 * @return {@code true} for {@link #PROTECTED}
	 */
	public boolean acceptsApiKeys() {
		return this == PROTECTED;
	}

	/**
	 * Returns whether this policy needs a JWT validator.
	 * @return {@code true} for every policy but {@link #PUBLIC}
	 */
	public boolean usesTokens() {
		return this != PUBLIC;
	}

}
