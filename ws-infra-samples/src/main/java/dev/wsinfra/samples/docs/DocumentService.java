package dev.wsinfra.samples.docs;

import java.time.Duration;

import dev.wsinfra.samples.support.SharedState;
import dev.wsinfra.samples.support.SharedState.Change;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The documents, in {@link SharedState}: every edit is one atomic update of its document,
 * so edits from every instance are applied in one order, each transformed over the ones
 * it did not see. A document is forgotten {@code samples.docs.ttl} (1 day) after its last
 * change.
 */
@Service
class DocumentService {

	private final SharedState state;

	private final Duration ttl;

	DocumentService(SharedState state, @Value("${samples.docs.ttl:1d}") Duration ttl) {
		this.state = state;
		this.ttl = ttl;
	}

	Document read(String id) {
		return this.state.read(key(id), Document.class).orElseGet(Document::empty);
	}

	Document.Applied edit(String id, Edit edit, @Nullable Long baseVersion, String user) {
		long now = System.currentTimeMillis();
		return this.state.update(key(id), Document.class, this.ttl, (current) -> {
			Document document = (current != null) ? current : Document.empty();
			Document.Applied applied = document.apply(edit, (baseVersion != null) ? baseVersion : document.version(),
					user, now);
			return Change.write(applied.document(), applied);
		});
	}

	Document moveCursor(String id, String user, int position) {
		return this.state.update(key(id), Document.class, this.ttl, (current) -> {
			Document moved = ((current != null) ? current : Document.empty()).withCursor(user, position);
			return Change.write(moved, moved);
		});
	}

	void removeCursor(String id, String user) {
		this.state.update(key(id), Document.class, this.ttl, (current) -> {
			if (current == null || !current.cursors().containsKey(user)) {
				return Change.keep(Boolean.FALSE);
			}
			return Change.write(current.withoutCursor(user), Boolean.TRUE);
		});
	}

	private static String key(String id) {
		return "docs:" + id;
	}

}
