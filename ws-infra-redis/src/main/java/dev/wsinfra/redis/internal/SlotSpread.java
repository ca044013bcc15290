package dev.wsinfra.redis.internal;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.cluster.SlotHash;

/**
 * Hash tags whose slots spread evenly over the 16,384 slots of a Redis Cluster, for
 * whatever is split into partitions (broadcast channels, sharded sets). Tag {@code i} of
 * {@code n} hashes close to the middle of the {@code i}-th of {@code n} equal slot
 * ranges, so a cluster whose masters own equal ranges, as {@code redis-cli --cluster
 * create} assigns them, serves the same number of partitions on each master. Naive tags
 * such as {@code p0}, {@code p1}... hash anywhere and can leave masters without any.
 * <p>
 * The tags are a pure function of the count: every instance computes the same ones.
 */
public final class SlotSpread {

	/** How many partitions a spread may have at most. */
	public static final int MAX_PARTITIONS = 256;

	private static final int SEARCH_LIMIT = 10_000_000;

	private SlotSpread() {
	}

	/**
	 * Returns the tags of a number of partitions, without the braces.
	 * @param count how many partitions, 1 to {@value #MAX_PARTITIONS}
	 * @return tag {@code i} for partition {@code i}, each of the form {@code p<i>.<n>}
	 * @throws IllegalArgumentException for a count out of range
	 */
	public static List<String> tags(int count) {
		if (count < 1 || count > MAX_PARTITIONS) {
			throw new IllegalArgumentException(
					"Partition count must be between 1 and " + MAX_PARTITIONS + ", not " + count);
		}
		List<String> tags = new ArrayList<>(count);
		for (int partition = 0; partition < count; partition++) {
			tags.add(tag(partition, count));
		}
		return List.copyOf(tags);
	}

	/**
	 * Returns the first slot of the range a partition's tag falls in.
	 * @param partition the partition
	 * @param count how many partitions
	 * @return the first slot of its range; the range ends before the next partition's
	 */
	static int rangeStart(int partition, int count) {
		return (int) ((long) partition * SlotHash.SLOT_COUNT / count);
	}

	/**
	 * Returns the first candidate tag that hashes within 1/32 of its range from the
	 * range's middle, so that it stays inside the same master's slots for any likely
	 * master count, trying {@code p<i>.0}, {@code p<i>.1}... in order.
	 */
	private static String tag(int partition, int count) {
		int first = rangeStart(partition, count);
		int end = rangeStart(partition + 1, count);
		int center = (first + end) / 2;
		int tolerance = (end - first) / 32;
		for (int candidate = 0; candidate < SEARCH_LIMIT; candidate++) {
			String tag = "p" + partition + "." + candidate;
			if (Math.abs(SlotHash.getSlot(tag) - center) <= tolerance) {
				return tag;
			}
		}
		throw new IllegalStateException("No tag found for partition " + partition + " of " + count);
	}

}
