package dev.wsinfra.samples.docs;

import org.jspecify.annotations.Nullable;

/**
 * An operation applied to a document, the seed's {@code Operation}: an {@code insert} of
 * {@code content} at {@code position}, or a {@code delete} of {@code length} characters
 * from {@code position}. Positions and lengths count UTF-16 code units, as JavaScript and
 * Java strings do.
 *
 * @param type {@code insert} or {@code delete}
 * @param position where, from 0
 * @param content the inserted text, for an insert
 * @param length the number of characters inserted or deleted
 * @param user_id who sent it
 * @param timestamp when it was applied, epoch milliseconds
 * @param version the document's version this operation produced
 */
record Operation(String type, int position, @Nullable String content, int length, String user_id, long timestamp,
		long version) {

	static final String INSERT = "insert";

	static final String DELETE = "delete";

	static Operation insert(int position, String content, String user, long timestamp, long version) {
		return new Operation(INSERT, position, content, content.length(), user, timestamp, version);
	}

	static Operation delete(int position, int length, String user, long timestamp, long version) {
		return new Operation(DELETE, position, null, length, user, timestamp, version);
	}

	boolean isInsert() {
		return INSERT.equals(this.type);
	}

	/** How the operation changes the length of the text. */
	int delta() {
		return isInsert() ? this.length : -this.length;
	}

	String applyTo(String text) {
		return isInsert() ? text.substring(0, this.position) + this.content + text.substring(this.position)
				: text.substring(0, this.position) + text.substring(this.position + this.length);
	}

	/**
	 * Moves a position of the text before this operation to where it is after it: behind
	 * an insert at or before it; to the start of a deletion that covered it.
	 */
	int map(int at) {
		if (isInsert()) {
			return (this.position <= at) ? at + this.length : at;
		}
		if (at <= this.position) {
			return at;
		}
		return (at >= this.position + this.length) ? at - this.length : this.position;
	}

}
