package dev.wsinfra.samples.docs;

import dev.wsinfra.samples.support.InvalidMessageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DocumentTests {

	private static Document text(String content) {
		return Document.empty().apply(Edit.insert(0, content), 0, "setup", 0).document();
	}

	@Test
	void editsOnTheCurrentVersionApplyAsSent() {
		Document document = text("hello");
		Document.Applied applied = document.apply(Edit.insert(5, " world"), 1, "a", 1);
		assertThat(applied.document().content()).isEqualTo("hello world");
		assertThat(applied.document().version()).isEqualTo(2);
		Document deleted = applied.document().apply(Edit.delete(0, 6), 2, "b", 2).document();
		assertThat(deleted.content()).isEqualTo("world");
		assertThat(deleted.version()).isEqualTo(3);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			an insert before the concurrent one keeps its place     | insert | 0 | 0 | Y | YabXc
			an insert after the concurrent one moves behind it      | insert | 3 | 0 | Y | abXcY
			an insert at the same place goes after it               | insert | 2 | 0 | Y | abXYc
			a deletion before the concurrent insert keeps its place | delete | 0 | 1 |   | bXc
			a deletion across the concurrent insert spares its text | delete | 1 | 2 |   | aX
			""")
	void anEditOnAnOlderVersionIsTransformedOverAConcurrentInsert(String name, String type, int position, int length,
			String content, String expected) {
		// "abc" at version 1 became "abXc" at version 2; the edit was made on version 1
		Document document = text("abc").apply(Edit.insert(2, "X"), 1, "first", 1).document();
		Edit edit = "insert".equals(type) ? Edit.insert(position, content) : Edit.delete(position, length);
		assertThat(document.apply(edit, 1, "second", 2).document().content()).isEqualTo(expected);
	}

	@Test
	void aDeletionAcrossAConcurrentInsertIsSplitAndKeepsTheInsertedText() {
		Document document = text("hello world").apply(Edit.insert(5, "XX"), 1, "first", 1).document();
		Document.Applied applied = document.apply(Edit.delete(2, 7), 1, "second", 2);
		assertThat(applied.document().content()).isEqualTo("heXXld");
		assertThat(applied.operations()).hasSize(2);
		assertThat(applied.document().version()).isEqualTo(4);
		assertThat(applied.operations()).extracting(Operation::version).containsExactly(3L, 4L);
		String replayed = document.content();
		for (Operation operation : applied.operations()) {
			replayed = operation.applyTo(replayed);
		}
		assertThat(replayed).isEqualTo("heXXld");
	}

	@Test
	void concurrentDeletionsOfTheSameTextDeleteItOnce() {
		Document document = text("hello world").apply(Edit.delete(0, 6), 1, "first", 1).document();
		Document.Applied applied = document.apply(Edit.delete(0, 6), 1, "second", 2);
		assertThat(applied.document().content()).isEqualTo("world");
		assertThat(applied.operations()).isEmpty();
		assertThat(applied.document().version()).isEqualTo(2);
		Document.Applied overlapping = document.apply(Edit.delete(3, 5), 1, "third", 3);
		assertThat(overlapping.document().content()).isEqualTo("rld");
	}

	@Test
	void cursorsFollowTheText() {
		Document document = text("hello world").withCursor("a", 6).withCursor("b", 2);
		Document edited = document.apply(Edit.insert(0, ">> "), 1, "c", 1).document();
		assertThat(edited.cursors()).containsEntry("a", 9).containsEntry("b", 5);
		Document deleted = edited.apply(Edit.delete(3, 6), 2, "c", 2).document();
		assertThat(deleted.content()).isEqualTo(">> world");
		assertThat(deleted.cursors()).containsEntry("a", 3).containsEntry("b", 3);
	}

	@Test
	void editsOutsideTheTextOfTheirVersionAndUnknownVersionsAreRefused() {
		Document document = text("abc");
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> document.apply(Edit.insert(4, "x"), 1, "a", 1))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("out_of_range"));
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> document.apply(Edit.delete(1, 3), 1, "a", 1))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("out_of_range"));
		Document longer = document.apply(Edit.insert(3, "defg"), 1, "a", 1).document();
		// position 5 exists now, but not in version 1, on which the edit was made
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> longer.apply(Edit.insert(5, "x"), 1, "b", 2))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("out_of_range"));
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> longer.apply(Edit.insert(0, "x"), 3, "b", 2))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("version_unknown"));
		assertThatExceptionOfType(InvalidMessageException.class).isThrownBy(() -> document.withCursor("a", 4))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("out_of_range"));
	}

	@Test
	void onlyTheLastOperationsAreKept() {
		Document document = Document.empty();
		for (int i = 0; i < Document.HISTORY + 5; i++) {
			document = document.apply(Edit.insert(0, "x"), i, "a", i).document();
		}
		assertThat(document.history()).hasSize(Document.HISTORY);
		Document current = document;
		assertThatExceptionOfType(InvalidMessageException.class)
			.isThrownBy(() -> current.apply(Edit.insert(0, "y"), 4, "b", 0))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("version_unknown"));
		assertThat(current.apply(Edit.insert(0, "y"), 5, "b", 0).operations()).hasSize(1);
		assertThat(current.version()).isEqualTo(Document.HISTORY + 5);
	}

}
