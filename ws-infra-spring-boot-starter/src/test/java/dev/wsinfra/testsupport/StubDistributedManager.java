package dev.wsinfra.testsupport;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import org.jspecify.annotations.Nullable;

/**
 * A distributed manager without a cluster: local delivery from the in-memory manager, and
 * the cluster's answers (instance id, backend reachability, online users) set by the test.
 */
public class StubDistributedManager extends InMemoryConnectionManager implements DistributedConnectionManager {

	private final String instanceId;

	private final boolean backendAvailable;

	private final Set<String> onlineUsers;

	private final List<Object> broadcasts = new CopyOnWriteArrayList<>();

	public StubDistributedManager(String instanceId, boolean backendAvailable, Set<String> onlineUsers) {
		this.instanceId = instanceId;
		this.backendAvailable = backendAvailable;
		this.onlineUsers = Set.copyOf(onlineUsers);
	}

	@Override
	public void broadcast(Object message, @Nullable String excludeUser) {
		this.broadcasts.add(message);
		super.broadcast(message, excludeUser);
	}

	public List<Object> broadcasts() {
		return List.copyOf(this.broadcasts);
	}

	@Override
	public String instanceId() {
		return this.instanceId;
	}

	@Override
	public boolean isBackendAvailable() {
		return this.backendAvailable;
	}

	@Override
	public Set<String> getOnlineUsers() {
		if (!this.backendAvailable) {
			throw new IllegalStateException("backend unavailable");
		}
		return this.onlineUsers;
	}

	@Override
	public boolean isUserOnline(String userId) {
		return getOnlineUsers().contains(userId);
	}

	@Override
	public Set<String> getRoomUsersGlobal(String room) {
		return getRoomUsers(room);
	}

	@Override
	public Set<String> getUserRooms(String userId) {
		return super.getUserRooms(userId);
	}

}
