package dev.wsinfra.autoconfigure.realtime;

import dev.wsinfra.realtime.RealtimeUsage;

/**
 * Told what happens on the relay, for metrics. Implementations must be cheap and
 * thread-safe: they run on the threads that carry the audio.
 */
interface RelayObserver {

	/** An observer that does nothing. */
	RelayObserver NONE = new RelayObserver() {
	};

	/** A relay session opened. */
	default void opened() {
	}

	/**
	 * A relay session ended.
	 * @param reason why
	 */
	default void closed(RelayClose reason) {
	}

	/**
	 * The provider reported usage.
	 * @param userId the session's user
	 * @param model the session's model
	 * @param usage the tokens
	 */
	default void usage(String userId, String model, RealtimeUsage usage) {
	}

	/**
	 * Audio went through the relay.
	 * @param userId the session's user
	 * @param model the session's model
	 * @param input {@code true} from the browser, {@code false} from the provider
	 * @param seconds how much
	 */
	default void audio(String userId, String model, boolean input, double seconds) {
	}

	/** Audio deltas waiting for a slow browser were dropped. */
	default void audioDropped(int deltas) {
	}

	/**
	 * An event of the browser was refused.
	 * @param code why, such as {@code event_not_allowed}
	 */
	default void refused(String code) {
	}

	/**
	 * A tool answered a call.
	 * @param tool the tool's name, or {@code unknown}
	 * @param outcome {@code success}, {@code error} or {@code timeout}
	 */
	default void toolCall(String tool, String outcome) {
	}

}
