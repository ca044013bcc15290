package dev.wsinfra.redis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Where a client stands in a persistent stream: the stream, its epoch and the id of the
 * last entry the client received. Every persistent message reaches clients with its
 * position as a token, {@code <epoch>:<id>@<stream>} (for example
 * {@code 3f9a1c2e:1718000000000-0@room:lobby}); a reconnecting client presents its last
 * token per stream to recover what it missed.
 * <p>
 * The epoch changes whenever the stream was lost or may have lost its last entries (a
 * deleted key, any Redis restart or failover, since a restored snapshot or a lagging
 * replica may miss the tail), so a position from before is never mistaken for one in the
 * new stream and nothing is replayed across a loss.
 *
 * @param stream the stream's name, such as {@code broadcast}, {@code room:lobby} or
 * {@code user:alice}
 * @param epoch the stream's epoch
 * @param id the Redis stream id, {@code <millis>-<sequence>}
 * @since 0.1.0
 */
public record StreamPosition(String stream, String epoch, String id) {

	/**
	 * Name of the query parameter a reconnecting client puts its positions in
	 * (repeatable).
	 */
	public static final String QUERY_PARAMETER = "position";

	private static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9]+");

	private static final Pattern ID = Pattern.compile("\\d+-\\d+");

	public StreamPosition {
		Objects.requireNonNull(stream, "stream must not be null");
		if (stream.isEmpty()) {
			throw new IllegalArgumentException("stream must not be empty");
		}
		if (epoch == null || !EPOCH.matcher(epoch).matches()) {
			throw new IllegalArgumentException("epoch must be letters and digits, was " + epoch);
		}
		if (id == null || !ID.matcher(id).matches()) {
			throw new IllegalArgumentException("id must be a stream id such as 1718000000000-0, was " + id);
		}
	}

	/**
	 * Parses a position token.
	 * @param token {@code <epoch>:<id>@<stream>}
	 * @return the position
	 * @throws IllegalArgumentException when the token is malformed
	 */
	public static StreamPosition parse(String token) {
		Objects.requireNonNull(token, "token must not be null");
		int at = token.indexOf('@');
		int colon = token.indexOf(':');
		if (at < 0 || colon < 0 || colon > at) {
			throw new IllegalArgumentException("A position is <epoch>:<id>@<stream>, was '" + token + "'");
		}
		return new StreamPosition(token.substring(at + 1), token.substring(0, colon), token.substring(colon + 1, at));
	}

	/**
	 * Parses a position token, if it is one.
	 * @param token the token
	 * @return the position, or empty when the token is malformed
	 */
	public static Optional<StreamPosition> tryParse(@Nullable String token) {
		if (token == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(parse(token));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Returns the values of the {@value #QUERY_PARAMETER} query parameter of a handshake
	 * URI, decoded, in order.
	 * @param uri the session's URI, or {@code null}
	 * @return the tokens, empty when there are none
	 */
	public static List<String> fromQuery(@Nullable URI uri) {
		String query = (uri != null) ? uri.getRawQuery() : null;
		if (query == null || query.isEmpty()) {
			return List.of();
		}
		List<String> tokens = new ArrayList<>();
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String name = (equals < 0) ? pair : pair.substring(0, equals);
			if (QUERY_PARAMETER.equals(decode(name)) && equals >= 0) {
				tokens.add(decode(pair.substring(equals + 1)));
			}
		}
		return List.copyOf(tokens);
	}

	private static String decode(String value) {
		try {
			return URLDecoder.decode(value, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return value;
		}
	}

	/**
	 * Returns the token clients receive and present back.
	 * @return {@code <epoch>:<id>@<stream>}
	 */
	public String token() {
		return this.epoch + ":" + this.id + "@" + this.stream;
	}

	@Override
	public String toString() {
		return token();
	}

}
