package dev.wsinfra.realtime;

import org.jspecify.annotations.Nullable;

/**
 * What the relay does with one event of the browser: forward it (possibly with restricted
 * fields filtered out) or refuse it with an error event.
 *
 * @param accepted whether the event is forwarded
 * @param code the refusal's code, for the error event and the metrics, {@code null} when
 * accepted
 * @param message the refusal's explanation for the browser, {@code null} when accepted
 * @since 0.1.0
 */
public record RealtimeVerdict(boolean accepted, @Nullable String code, @Nullable String message) {

	private static final RealtimeVerdict ACCEPT = new RealtimeVerdict(true, null, null);

	/**
	 * Returns the verdict that forwards the event.
	 * @return the verdict
	 */
	public static RealtimeVerdict accept() {
		return ACCEPT;
	}

	/**
	 * Returns a verdict that refuses the event.
	 * @param code a short code such as {@code event_not_allowed}
	 * @param message what the browser is told
	 * @return the verdict
	 */
	public static RealtimeVerdict refuse(String code, String message) {
		return new RealtimeVerdict(false, code, message);
	}

}
