package dev.wsinfra.client.internal;

import java.util.Locale;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Takes the credentials out of what Tyrus's client engine logs about handshakes at its
 * finest levels: the request line's query string, which may carry a key or a token, and
 * the values of every header but a few that never carry one. Tyrus masks
 * {@code Authorization} itself, not {@code X-Api-Key}, a subprotocol that carries a
 * token, or the query.
 */
final class HandshakeLogFilter implements Filter {

	private static final Pattern QUERY = Pattern.compile("((?:wss?|https?)://[^\\s?#]*)\\?[^\\s#]*");

	private static final Pattern HEADER = Pattern.compile("^([<>] )([A-Za-z0-9-]+): (.*)$", Pattern.MULTILINE);

	private static final Set<String> SAFE_HEADERS = Set.of("connection", "upgrade", "host", "origin", "date",
			"sec-websocket-version", "sec-websocket-accept", "sec-websocket-extensions", "content-length",
			"content-type", "retry-after", "server");

	private final @Nullable Filter next;

	HandshakeLogFilter(@Nullable Filter next) {
		this.next = next;
	}

	@Override
	public boolean isLoggable(LogRecord record) {
		String message = record.getMessage();
		if (message != null) {
			record.setMessage(redact(message));
		}
		return this.next == null || this.next.isLoggable(record);
	}

	static String redact(String message) {
		String withoutQuery = QUERY.matcher(message).replaceAll("$1?*****");
		Matcher header = HEADER.matcher(withoutQuery);
		StringBuilder redacted = new StringBuilder(withoutQuery.length());
		while (header.find()) {
			String name = header.group(2);
			String value = SAFE_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? header.group(3) : "*****";
			header.appendReplacement(redacted, Matcher.quoteReplacement(header.group(1) + name + ": " + value));
		}
		header.appendTail(redacted);
		return redacted.toString();
	}

}
