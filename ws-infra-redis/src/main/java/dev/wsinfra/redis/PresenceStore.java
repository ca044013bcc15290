package dev.wsinfra.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.wsinfra.redis.internal.LuaScripts;
import dev.wsinfra.redis.internal.RedisGateway;
import dev.wsinfra.redis.internal.RedisKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Redis side of connections, users, rooms and instances: every cluster-wide rule is
 * one Lua script here. Synchronous methods wait at most the command timeout and throw
 * Spring's {@code DataAccessException} on failure.
 */
final class PresenceStore {

	private static final Log logger = LogFactory.getLog(PresenceStore.class);

	private static final int LEAVES_PER_STEP = 1000;

	private final RedisGateway gateway;

	private final RedisKeys keys;

	private final JsonMapper jsonMapper;

	private final String instanceId;

	private final long presenceTtlMillis;

	private final long livenessTtlMillis;

	private final long graceMillis;

	private final ServerRun serverRun;

	// How the room scripts tell the user's instances of a change.
	private final ScriptPublish publish;

	// The run of the Redis server the last heartbeat reached.
	private volatile String run = "";

	PresenceStore(RedisGateway gateway, RedisKeys keys, JsonMapper jsonMapper, RedisConnectionManagerOptions options,
			ServerRun serverRun, ScriptPublish publish) {
		this.serverRun = serverRun;
		this.publish = publish;
		this.gateway = gateway;
		this.keys = keys;
		this.jsonMapper = jsonMapper;
		this.instanceId = options.instanceId();
		this.presenceTtlMillis = options.presenceTtl().toMillis();
		// Two heartbeats: one late beat is tolerated, and with survivors checking every
		// beat a dead instance is reaped within the presence TTL.
		this.livenessTtlMillis = options.heartbeatInterval().toMillis() * 2;
		this.graceMillis = options.presenceGracePeriod().toMillis();
	}

	/**
	 * The outcome of registering a connection.
	 *
	 * @param refused whether the user was at the limit
	 * @param joined whether the user was offline before
	 * @param rooms the user's rooms
	 */
	record Registration(boolean refused, boolean joined, List<String> rooms) {

		static Registration of(List<Object> reply) {
			long first = (Long) reply.get(0);
			if (first < 0) {
				return new Registration(true, false, List.of());
			}
			List<String> rooms = new ArrayList<>(reply.size() - 1);
			for (int i = 1; i < reply.size(); i++) {
				rooms.add((String) reply.get(i));
			}
			return new Registration(false, first == 1, rooms);
		}

	}

	Registration register(String connectionId, String userId, String entry, int limit) {
		return Registration.of(this.gateway.await(registerAsync(connectionId, userId, entry, limit), "connect"));
	}

	CompletableFuture<List<Object>> registerAsync(String connectionId, String userId, String entry, int limit) {
		String[] keys = { this.keys.presence(userId), this.keys.instanceConnections(this.instanceId),
				this.keys.onlineUsers(), this.keys.userRooms(userId), this.keys.leaving() };
		return this.gateway.evalAsync(LuaScripts.CONNECT, keys, connectionId, userId, entry, Integer.toString(limit),
				Long.toString(this.presenceTtlMillis));
	}

	/**
	 * A user that left everywhere, and the rooms they were in.
	 *
	 * @param userId the user
	 * @param rooms the rooms the user left with it
	 */
	record Departure(String userId, List<String> rooms) {

		static List<Departure> of(List<?> reply) {
			List<Departure> departures = new ArrayList<>(reply.size());
			for (Object item : reply) {
				List<?> pair = (List<?>) item;
				departures.add(new Departure((String) pair.get(0), List.copyOf(strings((List<?>) pair.get(1)))));
			}
			return List.copyOf(departures);
		}

		static List<String> userIds(List<Departure> departures) {
			return departures.stream().map(Departure::userId).toList();
		}

	}

	/**
	 * The outcome of removing a connection.
	 *
	 * @param result 0 while the user has connections left, 1 when the leave waits for the
	 * grace period, 2 when the user left
	 * @param departure the user and the rooms they left, when they left
	 */
	record Unregistration(long result, Departure departure) {

		static Unregistration of(String userId, List<Object> reply) {
			List<String> rooms = new ArrayList<>(reply.size() - 1);
			for (int i = 1; i < reply.size(); i++) {
				rooms.add((String) reply.get(i));
			}
			return new Unregistration((Long) reply.get(0), new Departure(userId, List.copyOf(rooms)));
		}

	}

	/**
	 * Removes a connection.
	 * @return what happened to the user
	 */
	CompletableFuture<Unregistration> unregisterAsync(String connectionId, String userId) {
		String[] keys = { this.keys.presence(userId), this.keys.instanceConnections(this.instanceId) };
		return this.gateway
			.<List<Object>>evalAsync(LuaScripts.DISCONNECT, keys, connectionId, userId, this.keys.prefix(),
					Long.toString(this.graceMillis))
			.thenApply((reply) -> Unregistration.of(userId, reply));
	}

	/**
	 * Adds an online user to a room and publishes the control on the user's channel.
	 * @return the outcome
	 */
	RoomJoin joinRoom(String userId, String room, String control) {
		String[] keys = { this.keys.onlineUsers(), this.keys.userRooms(userId), this.keys.roomMembers(room) };
		List<Object> reply = this.gateway.eval(LuaScripts.JOIN_ROOM, keys, userId, room, this.keys.userChannel(userId),
				this.publish.framePrefix() + control, this.publish.command());
		return new RoomJoin((Long) reply.get(0), ((Long) reply.get(1)).intValue());
	}

	/**
	 * The outcome of a join.
	 *
	 * @param result -1 if the user is not online, 0 if already a member, 1 if added
	 * @param notified how many instances the join notice went to
	 */
	record RoomJoin(long result, int notified) {

	}

	long leaveRoom(String userId, String room, String control) {
		String[] keys = { this.keys.userRooms(userId), this.keys.roomMembers(room) };
		return this.gateway.eval(LuaScripts.LEAVE_ROOM, keys, userId, room, this.keys.userChannel(userId),
				this.publish.framePrefix() + control, this.publish.command());
	}

	/**
	 * Puts back a user's rooms after Redis lost them, in single-slot steps: first the
	 * user's set of rooms, then each room's members. A failure in between leaves rooms in
	 * the user's set only, which the next resynchronization adds again, and which a leave
	 * removes cleanly, since a leave reads the user's set.
	 * @return every room of the user
	 */
	Set<String> restoreRooms(String userId, Collection<String> rooms) {
		List<Object> reply = this.gateway.eval(LuaScripts.RESTORE_ROOMS, new String[] { this.keys.userRooms(userId) },
				rooms.toArray(String[]::new));
		List<CompletableFuture<Long>> added = new ArrayList<>(rooms.size());
		for (String room : rooms) {
			added.add(this.gateway.async().sadd(this.keys.roomMembers(room), userId).toCompletableFuture());
		}
		for (CompletableFuture<Long> member : added) {
			this.gateway.await(member, "room member");
		}
		return strings(reply);
	}

	/**
	 * What starting found of an earlier run under this instance's id.
	 *
	 * @param wasAlive whether its liveness key still existed
	 * @param removed how many of its connections were removed
	 * @param left the users that left with them
	 */
	record Start(boolean wasAlive, long removed, List<Departure> left) {

	}

	/**
	 * Registers this instance as it starts, after removing in the same step the
	 * connections, presence, rooms and online state an earlier run under the same id left
	 * behind.
	 * @return what was found
	 */
	Start start() {
		String[] keys = { this.keys.instance(this.instanceId), this.keys.instanceConnections(this.instanceId),
				this.keys.instances() };
		long generation = this.serverRun.generation();
		List<Object> reply = this.gateway.eval(LuaScripts.START, keys, this.instanceId, this.keys.prefix(),
				Long.toString(this.graceMillis), Long.toString(this.livenessTtlMillis), Instant.now().toString());
		this.run = (String) reply.get(3);
		this.serverRun.seen(generation, this.run);
		return new Start((Long) reply.get(0) == 1, (Long) reply.get(1), Departure.of((List<?>) reply.get(2)));
	}

	/**
	 * Refreshes this instance's liveness.
	 * @return what Redis still knew
	 */
	Beat heartbeat() {
		String[] keys = { this.keys.instance(this.instanceId), this.keys.instances() };
		long generation = this.serverRun.generation();
		List<Object> reply = this.gateway.eval(LuaScripts.HEARTBEAT, keys, this.instanceId,
				Long.toString(this.livenessTtlMillis), Instant.now().toString());
		String run = (String) reply.get(1);
		this.serverRun.seen(generation, run);
		boolean restarted = !run.equals(this.run);
		this.run = run;
		if ((Long) reply.get(0) == 0) {
			return Beat.FORGOTTEN;
		}
		return restarted ? Beat.RESTARTED : Beat.REGISTERED;
	}

	/** What a heartbeat found. */
	enum Beat {

		/** Redis knew the instance, and has not restarted since the last heartbeat. */
		REGISTERED,

		/**
		 * Redis knew the instance but restarted since the last heartbeat, or another
		 * server took over: it may hold an older state (a snapshot, a lagging replica).
		 */
		RESTARTED,

		/**
		 * Redis forgot the instance: it lost its data, or the instance was reaped as
		 * dead.
		 */
		FORGOTTEN

	}

	/**
	 * Extends the presence keys of users.
	 * @return how many keys were missing
	 */
	long refreshPresence(Collection<String> userIds) {
		// One command per key, pipelined: the users' keys are in slots of their own.
		List<CompletableFuture<Boolean>> replies = new ArrayList<>(userIds.size());
		for (String userId : userIds) {
			replies.add(this.gateway.async()
				.pexpire(this.keys.presence(userId), this.presenceTtlMillis)
				.toCompletableFuture());
		}
		long missing = 0;
		for (CompletableFuture<Boolean> reply : replies) {
			if (!Boolean.TRUE.equals(this.gateway.await(reply, "presence refresh"))) {
				missing++;
			}
		}
		return missing;
	}

	Set<String> instances() {
		return this.gateway.await(this.gateway.async().smembers(this.keys.instances()), "instances");
	}

	boolean isAlive(String instanceId) {
		return this.gateway.await(this.gateway.async().exists(this.keys.instance(instanceId)), "liveness") > 0;
	}

	/**
	 * Removes what a dead instance held, if its liveness key is still gone.
	 * @return the users that left
	 */
	List<Departure> reap(String deadInstanceId) {
		String[] keys = { this.keys.instance(deadInstanceId), this.keys.instanceConnections(deadInstanceId),
				this.keys.instances() };
		List<Object> left = this.gateway.eval(LuaScripts.REAP, keys, deadInstanceId, this.keys.prefix(),
				Long.toString(this.graceMillis));
		return Departure.of(left);
	}

	/**
	 * Completes the leaves whose grace period ran out.
	 * @return the users that left
	 */
	List<Departure> finishLeaves() {
		List<Object> left = this.gateway.eval(LuaScripts.FINISH_LEAVES, new String[] { this.keys.leaving() },
				this.keys.prefix(), Integer.toString(LEAVES_PER_STEP));
		return Departure.of(left);
	}

	/**
	 * Returns what Redis records this instance as holding.
	 * @return connection id to user id
	 */
	Map<String, String> inventory() {
		return this.gateway.await(this.gateway.async().hgetall(this.keys.instanceConnections(this.instanceId)),
				"inventory");
	}

	/**
	 * Removes this instance from Redis on shutdown: its liveness, then what it held.
	 * @return the users that left
	 */
	List<Departure> deregisterInstance() {
		this.gateway.await(this.gateway.async().del(this.keys.instance(this.instanceId)), "deregister");
		return reap(this.instanceId);
	}

	Set<String> onlineUsers() {
		return this.gateway.await(this.gateway.async().smembers(this.keys.onlineUsers()), "online users");
	}

	long onlineUserCount() {
		return this.gateway.await(this.gateway.async().scard(this.keys.onlineUsers()), "online user count");
	}

	boolean isOnline(String userId) {
		return this.gateway.await(this.gateway.async().sismember(this.keys.onlineUsers(), userId), "online");
	}

	Set<String> roomMembers(String room) {
		return this.gateway.await(this.gateway.async().smembers(this.keys.roomMembers(room)), "room members");
	}

	Set<String> userRooms(String userId) {
		return this.gateway.await(userRoomsAsync(userId), "user rooms");
	}

	CompletableFuture<Set<String>> userRoomsAsync(String userId) {
		return this.gateway.async().smembers(this.keys.userRooms(userId)).toCompletableFuture();
	}

	List<PresenceConnection> connections(String userId) {
		Map<String, String> entries = this.gateway.await(this.gateway.async().hgetall(this.keys.presence(userId)),
				"presence");
		List<PresenceConnection> connections = new ArrayList<>(entries.size());
		entries.forEach((connectionId, entry) -> connections.add(readEntry(connectionId, entry)));
		connections.sort((a, b) -> a.connectedAt().compareTo(b.connectedAt()));
		return connections;
	}

	/**
	 * Returns the presence entry of a connection: instance, connection time and metadata.
	 */
	String entry(Instant connectedAt, Map<String, Object> metadata) {
		ObjectNode node = this.jsonMapper.createObjectNode();
		node.put("instance", this.instanceId);
		node.put("connectedAt", connectedAt.toEpochMilli());
		JsonNode json;
		try {
			json = this.jsonMapper.valueToTree(metadata);
		}
		catch (JacksonException ex) {
			logger.debug("Metadata does not serialize to JSON; presence keeps its string form", ex);
			Map<String, String> strings = new LinkedHashMap<>();
			metadata.forEach((key, value) -> strings.put(key, String.valueOf(value)));
			json = this.jsonMapper.valueToTree(strings);
		}
		node.set("metadata", json);
		return this.jsonMapper.writeValueAsString(node);
	}

	private PresenceConnection readEntry(String connectionId, String entry) {
		try {
			JsonNode node = this.jsonMapper.readTree(entry);
			Map<String, Object> metadata = new LinkedHashMap<>();
			JsonNode json = node.path("metadata");
			for (Map.Entry<String, JsonNode> field : json.properties()) {
				Object value = this.jsonMapper.treeToValue(field.getValue(), Object.class);
				if (value != null) {
					metadata.put(field.getKey(), value);
				}
			}
			return new PresenceConnection(connectionId, node.path("instance").asString(""),
					Instant.ofEpochMilli(node.path("connectedAt").asLong(0)), metadata);
		}
		catch (JacksonException ex) {
			return new PresenceConnection(connectionId, "", Instant.EPOCH, Map.of());
		}
	}

	private static Set<String> strings(List<?> reply) {
		Set<String> values = new LinkedHashSet<>(reply.size());
		for (Object value : reply) {
			values.add((String) value);
		}
		return values;
	}

}
