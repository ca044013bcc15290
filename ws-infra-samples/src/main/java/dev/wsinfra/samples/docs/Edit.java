package dev.wsinfra.samples.docs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.wsinfra.samples.support.InvalidMessageException;
import org.jspecify.annotations.Nullable;

/**
 * What a client asks for, in the coordinates of the version it last saw: an insert, or a
 * deletion of one or more disjoint ranges (a deletion that a concurrent insert split in
 * two keeps both parts in one coordinate system). {@link #transform} brings it over an
 * operation that the server applied since; {@link #toOperations} turns it into operations
 * on the current text.
 *
 * @param insertAt where to insert, or -1 for a deletion
 * @param content what to insert
 * @param ranges the ranges to delete, each {@code [start, end)}
 */
record Edit(int insertAt, @Nullable String content, List<int[]> ranges) {

	static Edit insert(int position, String content) {
		return new Edit(position, content, List.of());
	}

	static Edit delete(int position, int length) {
		return new Edit(-1, null, List.of(new int[] { position, position + length }));
	}

	/**
	 * Checks the edit against the text length of its version.
	 * @throws InvalidMessageException when a position or range falls outside the text
	 */
	Edit checkedAgainst(int length) {
		if (this.content != null) {
			if (this.insertAt < 0 || this.insertAt > length) {
				throw outOfRange("position " + this.insertAt + " is outside the text (length " + length + ")");
			}
			return this;
		}
		for (int[] range : this.ranges) {
			if (range[0] < 0 || range[1] <= range[0] || range[1] > length) {
				throw outOfRange("cannot delete " + (range[1] - range[0]) + " characters at " + range[0]
						+ " from a text of length " + length);
			}
		}
		return this;
	}

	/**
	 * Returns this edit as it applies after an operation the server applied concurrently:
	 * the earlier operation wins ties, and a deletion never removes text inserted
	 * concurrently.
	 */
	Edit transform(Operation applied) {
		if (this.content != null) {
			return new Edit(applied.map(this.insertAt), this.content, List.of());
		}
		List<int[]> moved = new ArrayList<>();
		for (int[] range : this.ranges) {
			if (applied.isInsert()) {
				int at = applied.position();
				int length = applied.length();
				if (at <= range[0]) {
					moved.add(new int[] { range[0] + length, range[1] + length });
				}
				else if (at >= range[1]) {
					moved.add(range);
				}
				else {
					moved.add(new int[] { range[0], at });
					moved.add(new int[] { at + length, range[1] + length });
				}
				continue;
			}
			int start = applied.map(range[0]);
			int end = applied.map(range[1]);
			if (end > start) {
				moved.add(new int[] { start, end });
			}
		}
		return new Edit(-1, null, moved);
	}

	/**
	 * Returns the operations that perform this edit one after the other, ranges from the
	 * last to the first so that each position stays valid.
	 */
	List<Operation> toOperations(String user, long timestamp, long version) {
		if (this.content != null) {
			return List.of(Operation.insert(this.insertAt, this.content, user, timestamp, version + 1));
		}
		List<int[]> ordered = new ArrayList<>(this.ranges);
		ordered.sort(Comparator.comparingInt((int[] range) -> range[0]).reversed());
		List<Operation> operations = new ArrayList<>();
		long next = version;
		for (int[] range : ordered) {
			operations.add(Operation.delete(range[0], range[1] - range[0], user, timestamp, ++next));
		}
		return operations;
	}

	private static InvalidMessageException outOfRange(String message) {
		return new InvalidMessageException("out_of_range", message);
	}

}
