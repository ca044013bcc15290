package dev.wsinfra.autoconfigure;

import dev.wsinfra.server.RoomAuthorizer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The application's {@link RoomAuthorizer} bean, looked up at the first join rather than
 * when the manager's settings are built, so that an authorizer may itself depend on the
 * {@code ConnectionManager} (to check presence or membership) without a cycle.
 */
final class DeferredRoomAuthorizer implements RoomAuthorizer {

	private final ObjectProvider<RoomAuthorizer> authorizer;

	// Written once, by whichever join looks the bean up first; the same bean every time.
	private volatile @Nullable RoomAuthorizer resolved;

	DeferredRoomAuthorizer(ObjectProvider<RoomAuthorizer> authorizer) {
		this.authorizer = authorizer;
	}

	@Override
	public boolean mayJoin(String userId, String room) {
		RoomAuthorizer resolved = this.resolved;
		if (resolved == null) {
			resolved = this.authorizer.getObject();
			this.resolved = resolved;
		}
		return resolved.mayJoin(userId, room);
	}

	@Override
	public String toString() {
		RoomAuthorizer resolved = this.resolved;
		return (resolved != null) ? resolved.toString() : "the application's RoomAuthorizer bean";
	}

}
