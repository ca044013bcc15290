package dev.wsinfra.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wsinfra.server.ConnectionInfo;
import dev.wsinfra.server.ConnectionListener;
import dev.wsinfra.server.DistributedConnectionManager;
import dev.wsinfra.server.InMemoryConnectionManager;
import dev.wsinfra.server.SendListener;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * A distributed manager without a cluster: local delivery by an in-memory manager, and
 * the cluster's answers (instance id, backend reachability, online users) set by the
 * test.
 */
public class StubDistributedManager implements DistributedConnectionManager, AutoCloseable {

	private final InMemoryConnectionManager local = new InMemoryConnectionManager();

	private final String instanceId;

	private final boolean backendAvailable;

	private final Set<String> onlineUsers;

	private final List<Object> broadcasts = new CopyOnWriteArrayList<>();

	public StubDistributedManager(String instanceId, boolean backendAvailable, Set<String> onlineUsers) {
		this.instanceId = instanceId;
		this.backendAvailable = backendAvailable;
		this.onlineUsers = Set.copyOf(onlineUsers);
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
		return this.local.getRoomUsers(room);
	}

	@Override
	public Set<String> getUserRooms(String userId) {
		return this.local.getUserRooms(userId);
	}

	@Override
	public String connect(String userId, WebSocketSession session, Map<String, Object> metadata) {
		return this.local.connect(userId, session, metadata);
	}

	@Override
	public void disconnect(String userId, WebSocketSession session, CloseStatus status) {
		this.local.disconnect(userId, session, status);
	}

	@Override
	public void disconnect(String userId, CloseStatus status) {
		this.local.disconnect(userId, status);
	}

	@Override
	public boolean send(WebSocketSession session, Object message) {
		return this.local.send(session, message);
	}

	@Override
	public int sendToUser(String userId, Object message) {
		return this.local.sendToUser(userId, message);
	}

	@Override
	public int broadcast(Object message, @Nullable String excludeUser) {
		this.broadcasts.add(message);
		return this.local.broadcast(message, excludeUser);
	}

	@Override
	public int broadcastToRoom(String room, Object message, @Nullable String excludeUser) {
		return this.local.broadcastToRoom(room, message, excludeUser);
	}

	@Override
	public boolean flush(Duration timeout) {
		return this.local.flush(timeout);
	}

	@Override
	public boolean joinRoom(String userId, String room) {
		return this.local.joinRoom(userId, room);
	}

	@Override
	public boolean leaveRoom(String userId, String room) {
		return this.local.leaveRoom(userId, room);
	}

	@Override
	public List<ConnectionInfo> getUserConnections(String userId) {
		return this.local.getUserConnections(userId);
	}

	@Override
	public boolean isUserConnected(String userId) {
		return this.local.isUserConnected(userId);
	}

	@Override
	public Set<String> getRoomUsers(String room) {
		return this.local.getRoomUsers(room);
	}

	@Override
	public Set<String> activeUsers() {
		return this.local.activeUsers();
	}

	@Override
	public int connectionCount() {
		return this.local.connectionCount();
	}

	@Override
	public int roomCount() {
		return this.local.roomCount();
	}

	@Override
	public void onConnect(ConnectionListener listener) {
		this.local.onConnect(listener);
	}

	@Override
	public void onDisconnect(ConnectionListener listener) {
		this.local.onDisconnect(listener);
	}

	@Override
	public void onSend(SendListener listener) {
		this.local.onSend(listener);
	}

	@Override
	public void close() {
		this.local.close();
	}

}
