package dev.wsinfra.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Partition tags hash evenly over the slots, so every master serves its share.
 */
class SlotSpreadTests {

	@ParameterizedTest // #13
	@ValueSource(ints = { 1, 3, 12, 60, 256 })
	void everyTagHashesIntoItsOwnEqualSlotRange(int count) {
		List<String> tags = SlotSpread.tags(count);
		assertThat(tags).hasSize(count).doesNotHaveDuplicates();
		for (int partition = 0; partition < count; partition++) {
			assertThat(SlotHash.getSlot(tags.get(partition))).as(tags.get(partition))
				.isBetween(SlotSpread.rangeStart(partition, count), SlotSpread.rangeStart(partition + 1, count) - 1);
		}
	}

	@ParameterizedTest // #13
	@ValueSource(ints = { 2, 3, 4, 5, 6, 7, 10 })
	void mastersWithTheSlotRangesOfRedisCliServeAsManyPartitionsEachWithinOne(int masters) {
		List<String> tags = SlotSpread.tags(60);
		int[] perMaster = new int[masters];
		List<int[]> ranges = redisCliRanges(masters);
		for (String tag : tags) {
			int slot = SlotHash.getSlot(tag);
			perMaster[IntStream.range(0, masters)
				.filter((m) -> ranges.get(m)[0] <= slot && slot <= ranges.get(m)[1])
				.findFirst()
				.orElseThrow()]++;
		}
		int fewest = IntStream.of(perMaster).min().orElseThrow();
		int most = IntStream.of(perMaster).max().orElseThrow();
		assertThat(most - fewest).as("partitions per master %s", java.util.Arrays.toString(perMaster))
			.isLessThanOrEqualTo(1);
		assertThat(most).isEqualTo((60 + masters - 1) / masters);
	}

	@Test // #13
	void naiveTagsLeaveTheSpreadToChance() {
		int[] perMaster = new int[3];
		List<int[]> ranges = redisCliRanges(3);
		for (int partition = 0; partition < 12; partition++) {
			int slot = SlotHash.getSlot("p" + partition);
			for (int m = 0; m < 3; m++) {
				if (ranges.get(m)[0] <= slot && slot <= ranges.get(m)[1]) {
					perMaster[m]++;
				}
			}
		}
		int[] spread = new int[3];
		for (String tag : SlotSpread.tags(12)) {
			int slot = SlotHash.getSlot(tag);
			for (int m = 0; m < 3; m++) {
				if (ranges.get(m)[0] <= slot && slot <= ranges.get(m)[1]) {
					spread[m]++;
				}
			}
		}
		assertThat(perMaster).isNotEqualTo(new int[] { 4, 4, 4 });
		assertThat(spread).containsExactly(4, 4, 4);
	}

	@Test // #13
	void tagsAreTheSameOnEveryCall() {
		assertThat(SlotSpread.tags(60)).isEqualTo(SlotSpread.tags(60));
		assertThat(SlotSpread.tags(60)).allMatch((tag) -> tag.matches("p\\d+\\.\\d+"));
	}

	@ParameterizedTest // #13
	@ValueSource(ints = { 0, -1, 257 })
	void rejectsACountOutOfRange(int count) {
		assertThatIllegalArgumentException().isThrownBy(() -> SlotSpread.tags(count))
			.withMessageContaining(Integer.toString(count));
	}

	/** The slot ranges {@code redis-cli --cluster create} gives equal masters. */
	private static List<int[]> redisCliRanges(int masters) {
		List<int[]> ranges = new ArrayList<>();
		double perNode = 16384.0 / masters;
		double cursor = 0;
		int first = 0;
		for (int m = 0; m < masters; m++) {
			int last = (int) Math.round(cursor + perNode - 1);
			if (last > 16383 || m == masters - 1) {
				last = 16383;
			}
			ranges.add(new int[] { first, last });
			first = last + 1;
			cursor += perNode;
		}
		return ranges;
	}

}
