package dev.wsinfra.samples.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wsinfra.samples.support.InvalidMessageException;

/**
 * A shared document, the seed's {@code CollaborativeDocument} state: its text, its
 * version (the number of operations applied), the editors' cursors, and the last
 * operations, which the server needs to transform an edit made on an older version.
 * Immutable.
 *
 * @param content the text
 * @param version the number of operations applied so far
 * @param cursors each editor's cursor position
 * @param history the last {@link #HISTORY} operations, oldest first
 */
record Document(String content, long version, Map<String, Integer> cursors, List<Operation> history) {

	/** How many operations are kept for transforming edits made on older versions. */
	static final int HISTORY = 200;

	/** The longest text, in UTF-16 code units. */
	static final int MAX_LENGTH = 100_000;

	Document {
		cursors = Map.copyOf(cursors);
		history = List.copyOf(history);
	}

	static Document empty() {
		return new Document("", 0, Map.of(), List.of());
	}

	/**
	 * Applies an edit made on {@code baseVersion}: checks it against the text of that
	 * version, transforms it over the operations applied since, applies it, and moves the
	 * cursors.
	 * @return the document after the edit, and the operations applied
	 * @throws InvalidMessageException when the version is unknown or the edit falls
	 * outside the text
	 */
	Applied apply(Edit edit, long baseVersion, String user, long timestamp) {
		if (baseVersion > this.version || baseVersion < this.version - this.history.size()) {
			throw new InvalidMessageException("version_unknown",
					"Version " + baseVersion + " is unknown (the " + "document is at " + this.version + " and keeps "
							+ HISTORY + " operations); send {\"type\": \"sync\"}");
		}
		List<Operation> concurrent = this.history.subList(this.history.size() - (int) (this.version - baseVersion),
				this.history.size());
		int baseLength = this.content.length();
		for (Operation operation : concurrent) {
			baseLength -= operation.delta();
		}
		Edit transformed = edit.checkedAgainst(baseLength);
		for (Operation operation : concurrent) {
			transformed = transformed.transform(operation);
		}
		transformed.checkedAgainst(this.content.length());
		List<Operation> operations = transformed.toOperations(user, timestamp, this.version);
		String text = this.content;
		Map<String, Integer> cursors = new LinkedHashMap<>(this.cursors);
		for (Operation operation : operations) {
			text = operation.applyTo(text);
			cursors.replaceAll((editor, at) -> operation.map(at));
		}
		if (text.length() > MAX_LENGTH) {
			throw new InvalidMessageException("document_too_large",
					"The document may hold at most " + MAX_LENGTH + " characters");
		}
		List<Operation> history = new ArrayList<>(this.history);
		history.addAll(operations);
		if (history.size() > HISTORY) {
			history = history.subList(history.size() - HISTORY, history.size());
		}
		return new Applied(new Document(text, this.version + operations.size(), cursors, history), operations);
	}

	Document withCursor(String user, int position) {
		if (position < 0 || position > this.content.length()) {
			throw new InvalidMessageException("out_of_range",
					"cursor " + position + " is outside the text (length " + this.content.length() + ")");
		}
		Map<String, Integer> cursors = new LinkedHashMap<>(this.cursors);
		cursors.put(user, position);
		return new Document(this.content, this.version, cursors, this.history);
	}

	Document withoutCursor(String user) {
		Map<String, Integer> cursors = new LinkedHashMap<>(this.cursors);
		cursors.remove(user);
		return new Document(this.content, this.version, cursors, this.history);
	}

	/**
	 * A document after an edit.
	 *
	 * @param document the new document
	 * @param operations the operations applied, none when the edit was a concurrent
	 * deletion's duplicate
	 */
	record Applied(Document document, List<Operation> operations) {

	}

}
