package dev.wsinfra.samples.support;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * {@link SharedState} in this instance's memory: values are kept as they are (records,
 * immutable) and expire after their time to live; expired entries are purged at most once
 * a minute, on a write.
 */
class InMemorySharedState implements SharedState {

	private static final long PURGE_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final AtomicLong lastPurge = new AtomicLong(System.nanoTime());

	@Override
	public <S> Optional<S> read(String key, Class<S> type) {
		Entry entry = this.entries.get(key);
		if (entry == null || entry.isExpired(System.nanoTime())) {
			return Optional.empty();
		}
		return Optional.of(type.cast(entry.value()));
	}

	@Override
	public <S, R> R update(String key, Class<S> type, Duration ttl, Function<@Nullable S, Change<S, R>> change) {
		purgeExpired();
		Object[] result = new Object[1];
		this.entries.compute(key, (k, entry) -> {
			long now = System.nanoTime();
			S current = (entry == null || entry.isExpired(now)) ? null : type.cast(entry.value());
			Change<S, R> applied = change.apply(current);
			result[0] = applied.result();
			if (!applied.write()) {
				return (current != null) ? entry : null;
			}
			S value = applied.value();
			return (value != null) ? new Entry(value, now + ttl.toNanos()) : null;
		});
		@SuppressWarnings("unchecked")
		R typed = (R) result[0];
		return typed;
	}

	private void purgeExpired() {
		long now = System.nanoTime();
		long last = this.lastPurge.get();
		if (now - last >= PURGE_EVERY_NANOS && this.lastPurge.compareAndSet(last, now)) {
			this.entries.values().removeIf((entry) -> entry.isExpired(now));
		}
	}

	private record Entry(Object value, long expiresAtNanos) {

		boolean isExpired(long now) {
			return now - this.expiresAtNanos >= 0;
		}

	}

}
