package dev.wsinfra.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The position tokens a client presented, sorted out before anything reads Redis: one
 * position per stream (the first), and at most a maximum number of streams, so that one
 * handshake or message cannot make the instance read more than that many streams.
 */
final class RecoveryRequest {

	private final List<Item> items;

	private RecoveryRequest(List<Item> items) {
		this.items = items;
	}

	/**
	 * Sorts out tokens in the order the client gave them.
	 * @param tokens the tokens
	 * @param maxStreams how many streams may be recovered
	 */
	static RecoveryRequest of(Collection<String> tokens, int maxStreams) {
		List<Item> items = new ArrayList<>(tokens.size());
		Set<String> streams = new HashSet<>();
		int recovering = 0;
		for (String token : tokens) {
			Optional<StreamPosition> parsed = StreamPosition.tryParse(token);
			if (parsed.isEmpty()) {
				items.add(new Item(token, Outcome.MALFORMED, null));
				continue;
			}
			StreamPosition position = parsed.get();
			if (!streams.add(position.stream())) {
				items.add(new Item(token, Outcome.REPEATED, position));
			}
			else if (recovering < maxStreams) {
				recovering++;
				items.add(new Item(token, Outcome.RECOVER, position));
			}
			else {
				items.add(new Item(token, Outcome.OVER_LIMIT, position));
			}
		}
		return new RecoveryRequest(List.copyOf(items));
	}

	List<Item> items() {
		return this.items;
	}

	/** The positions to recover, one per stream. */
	List<StreamPosition> positions() {
		List<StreamPosition> positions = new ArrayList<>();
		for (Item item : this.items) {
			if (item.outcome() == Outcome.RECOVER) {
				positions.add(item.position());
			}
		}
		return positions;
	}

	List<Item> itemsOf(Outcome outcome) {
		return this.items.stream().filter((item) -> item.outcome() == outcome).toList();
	}

	/** Whether some positions are not recovered because of the limits. */
	boolean isLimited() {
		return this.items.stream()
			.anyMatch((item) -> item.outcome() == Outcome.REPEATED || item.outcome() == Outcome.OVER_LIMIT);
	}

	/** What happens to a token. */
	enum Outcome {

		/** Recovered. */
		RECOVER,

		/** Not a position: answered {@code recovered: false} without a stream. */
		MALFORMED,

		/** A second position for a stream: ignored. */
		REPEATED,

		/**
		 * A stream past the maximum: answered {@code recovered: false} without reading
		 * it.
		 */
		OVER_LIMIT

	}

	/**
	 * One token and what happens to it.
	 *
	 * @param token the token
	 * @param outcome what happens to it
	 * @param position the position, {@code null} when malformed
	 */
	record Item(String token, Outcome outcome, @Nullable StreamPosition position) {

	}

}
