package dev.wsinfra.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The members of one room of an {@link InMemoryConnectionManager}, and the connections a
 * message to the room goes to: gathered at the first send after a change and kept until
 * the next, so that a send to a room that did not change reads one array instead of a map
 * entry per member.
 * <p>
 * Changes are made under the manager's lock, and every change that can change the
 * connections (a member joins or leaves, a member's connection opens or closes) is
 * followed by {@link #changed()}; reads need no lock.
 */
final class RoomMembers {

	private final Set<String> userIds = ConcurrentHashMap.newKeySet();

	// Bumped under the manager's lock after each change.
	private volatile int version;

	private volatile @Nullable Targets targets;

	/** Adds a member; the caller holds the manager's lock. */
	boolean add(String userId) {
		boolean added = this.userIds.add(userId);
		if (added) {
			changed();
		}
		return added;
	}

	/** Removes a member; the caller holds the manager's lock. */
	boolean remove(String userId) {
		boolean removed = this.userIds.remove(userId);
		if (removed) {
			changed();
		}
		return removed;
	}

	/**
	 * Records that the connections of a member changed; the caller holds the manager's
	 * lock, and made the change before.
	 */
	void changed() {
		this.version++;
	}

	boolean isEmpty() {
		return this.userIds.isEmpty();
	}

	Set<String> userIds() {
		return Set.copyOf(this.userIds);
	}

	/**
	 * Returns the connections of the members, as of the last change.
	 * @param connectionsOf a member's connections
	 * @return the connections; the caller must not modify the array
	 */
	Connection[] connections(Function<String, List<Connection>> connectionsOf) {
		// Read before gathering: a change made meanwhile bumps the version past it, and
		// the next send gathers again.
		int version = this.version;
		Targets targets = this.targets;
		if (targets != null && targets.version == version) {
			return targets.connections;
		}
		List<Connection> all = new ArrayList<>(this.userIds.size());
		for (String userId : this.userIds) {
			all.addAll(connectionsOf.apply(userId));
		}
		Connection[] connections = all.toArray(new Connection[0]);
		this.targets = new Targets(version, connections);
		return connections;
	}

	private record Targets(int version, Connection[] connections) {
	}

}
