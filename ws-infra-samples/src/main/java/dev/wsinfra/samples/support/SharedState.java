package dev.wsinfra.samples.support;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * State the examples keep beside the connection manager (games, documents, prices),
 * stored as JSON under a key: in this instance's memory by default, in Redis with
 * {@code ws.redis.enabled=true} so that every instance sees the same state.
 * <p>
 * {@link #update} is atomic per key across every instance that shares the store. The
 * change function may be called more than once (the Redis store retries it when another
 * instance wrote the key meanwhile), so it must not have side effects: send messages
 * after {@code update} returns, from its result.
 */
public interface SharedState {

	/**
	 * Reads a value.
	 * @param <S> the type of the value
	 * @param key the key
	 * @param type the type of the value, a record Jackson can read
	 * @return the value, empty when absent or expired
	 */
	<S> Optional<S> read(String key, Class<S> type);

	/**
	 * Changes a value atomically.
	 * @param <S> the type of the value
	 * @param <R> the type of the result
	 * @param key the key
	 * @param type the type of the value
	 * @param ttl how long the value lives after this write
	 * @param change given the current value or {@code null}, says what to store and what
	 * to return
	 * @return the result of the change that was applied
	 */
	<S, R> R update(String key, Class<S> type, Duration ttl, Function<@Nullable S, Change<S, R>> change);

	/**
	 * What an update does.
	 *
	 * @param <S> the type of the value
	 * @param <R> the type of the result
	 * @param value the new value, when {@code write} is true
	 * @param write whether to store {@code value}
	 * @param result what {@link SharedState#update} returns
	 */
	record Change<S, R>(@Nullable S value, boolean write, R result) {

		/**
		 * Stores a new value.
		 * @param <S> the type of the value
		 * @param <R> the type of the result
		 * @param value the value
		 * @param result the result
		 * @return the change
		 */
		public static <S, R> Change<S, R> write(S value, R result) {
			return new Change<>(value, true, result);
		}

		/**
		 * Leaves the value as it is.
		 * @param <S> the type of the value
		 * @param <R> the type of the result
		 * @param result the result
		 * @return the change
		 */
		public static <S, R> Change<S, R> keep(R result) {
			return new Change<>(null, false, result);
		}

	}

}
