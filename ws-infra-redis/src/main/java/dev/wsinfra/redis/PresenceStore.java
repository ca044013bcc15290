package dev.wsinfra.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import dev.wsinfra.redis.internal.KeyLayout;
import dev.wsinfra.redis.internal.LuaScripts;
import dev.wsinfra.redis.internal.RedisGateway;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Redis side of connections, users, rooms and instances. Each Lua script is one step
 * on the keys of one user, one room, one instance or one partition, so that on a Redis
 * Cluster each runs on one slot; an operation over several is a sequence of steps, each
 * idempotent, in this order:
 * <ul>
 * <li>connect: the instance's inventory, the user (limit, presence, state), the user's
 * partition of the online users;</li>
 * <li>disconnect: the user (presence, state), then either the user's partition of the
 * leaving users (a deferred leave) or a departure, then the instance's inventory;</li>
 * <li>departure: the user (state departing, rooms kept), each room's members, the user's
 * partition of the online users, the user (state and rooms removed: offline);</li>
 * <li>room join or leave: the user's rooms (with the notice), then the room's
 * members.</li>
 * </ul>
 * A crash between steps is repaired by repeating them: an instance's inventory keeps a
 * connection until its removal is complete, and the reaper of a dead instance removes
 * what the inventory still holds; the leaving set keeps a user until the departure is
 * complete, and the next pass finishes it. The online users' partitions are an index that
 * each heartbeat puts this instance's users back into.
 * <p>
 * Synchronous methods wait at most the command timeout and throw Spring's
 * {@code DataAccessException} on failure.
 */
final class PresenceStore {

	private static final Log logger = LogFactory.getLog(PresenceStore.class);

	private static final int LEAVES_PER_STEP = 1000;

	private final RedisGateway gateway;

	private final KeyLayout keys;

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

	PresenceStore(RedisGateway gateway, KeyLayout keys, JsonMapper jsonMapper, RedisConnectionManagerOptions options,
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
	 * @param overtaken the departure this registration overtook, which it reports: the
	 * user left and came back, without the rooms it left
	 */
	record Registration(boolean refused, boolean joined, List<String> rooms, @Nullable Departure overtaken) {

		static Registration of(String userId, List<Object> reply) {
			long first = (Long) reply.get(0);
			if (first < 0) {
				return new Registration(true, false, List.of(), null);
			}
			List<String> departed = List.copyOf(strings((List<?>) reply.get(2)));
			return new Registration(false, first == 1, List.copyOf(strings((List<?>) reply.get(1))),
					departed.isEmpty() ? null : new Departure(userId, departed));
		}

	}

	Registration register(String connectionId, String userId, String entry, int limit) {
		return this.gateway.await(registerAsync(connectionId, userId, entry, limit), "connect");
	}

	/**
	 * Registers a connection: in this instance's inventory first, so that a crash before
	 * the user's step leaves a trace for the reaper; a refused one is taken out again.
	 */
	CompletableFuture<Registration> registerAsync(String connectionId, String userId, String entry, int limit) {
		String inventory = this.keys.instanceConnections(this.instanceId);
		CompletableFuture<Boolean> listed = this.gateway.async()
			.hset(inventory, connectionId, userId)
			.toCompletableFuture();
		String[] keys = { this.keys.presence(userId), this.keys.userState(userId), this.keys.userRooms(userId) };
		CompletableFuture<Registration> registered = this.gateway
			.<List<Object>>evalAsync(LuaScripts.CONNECT, keys, connectionId, entry, Integer.toString(limit),
					Long.toString(this.presenceTtlMillis))
			.thenCompose((reply) -> {
				Registration registration = Registration.of(userId, reply);
				Departure overtaken = registration.overtaken();
				if (overtaken == null) {
					return CompletableFuture.completedFuture(registration);
				}
				// Its rooms' members may still list the user.
				return removeFromRooms(userId, overtaken.rooms())
					.thenCompose((ignored) -> keepRejoined(userId, overtaken.rooms()))
					.thenApply((ignored) -> registration);
			});
		// A refused user is online too.
		CompletableFuture<Long> indexed = this.gateway.async()
			.sadd(this.keys.onlineUsers(this.keys.partitionOf(userId)), userId)
			.toCompletableFuture();
		return listed.thenCombine(indexed, (a, b) -> b).thenCompose((ignored) -> registered).thenCompose((result) -> {
			if (!result.refused()) {
				return CompletableFuture.completedFuture(result);
			}
			return this.gateway.async().hdel(inventory, connectionId).toCompletableFuture().thenApply((n) -> result);
		});
	}

	/**
	 * A user that left everywhere, and the rooms they were in.
	 *
	 * @param userId the user
	 * @param rooms the rooms the user left with it
	 */
	record Departure(String userId, List<String> rooms) {

		static List<String> userIds(List<Departure> departures) {
			return departures.stream().map(Departure::userId).toList();
		}

	}

	/**
	 * The outcome of removing a connection.
	 *
	 * @param result 0 while the user has connections left, 1 when the leave waits for the
	 * grace period, 2 when the user left, 3 when the user was not online
	 * @param departure the user and the rooms they left, when this removal ended their
	 * departure
	 */
	record Unregistration(long result, @Nullable Departure departure) {

	}

	/**
	 * Removes a connection of this instance.
	 * @return what happened to the user
	 */
	CompletableFuture<Unregistration> unregisterAsync(String connectionId, String userId) {
		return unregisterAsync(this.instanceId, connectionId, userId);
	}

	/**
	 * Removes a connection of an instance: the user's step, what follows from it, and
	 * last the connection's place in the instance's inventory.
	 */
	private CompletableFuture<Unregistration> unregisterAsync(String instanceId, String connectionId, String userId) {
		String[] keys = { this.keys.presence(userId), this.keys.userState(userId), this.keys.userRooms(userId) };
		return this.gateway
			.<List<Object>>evalAsync(LuaScripts.DISCONNECT, keys, connectionId, Long.toString(this.graceMillis))
			.thenCompose((reply) -> afterUserStep(userId, reply, Long.MAX_VALUE))
			.thenCompose((result) -> this.gateway.async()
				.hdel(this.keys.instanceConnections(instanceId), connectionId)
				.toCompletableFuture()
				.thenApply((removed) -> result));
	}

	/**
	 * Takes the steps that follow a user's step: the user's partitions for a deferred
	 * leave or a user not online, the departure's steps for a user who departs.
	 * @param handled the due of the leaving entry being handled, {@link Long#MAX_VALUE}
	 * for none
	 */
	private CompletableFuture<Unregistration> afterUserStep(String userId, List<Object> reply, long handled) {
		long result = (Long) reply.get(0);
		int partition = this.keys.partitionOf(userId);
		CompletableFuture<?> next;
		if (result == 1) {
			long due = (Long) reply.get(1);
			next = (due == handled) ? CompletableFuture.completedFuture(null)
					: this.gateway.async().zadd(this.keys.leaving(partition), due, userId).toCompletableFuture();
		}
		else if (result == 2) {
			Departure departing = new Departure(userId, List.copyOf(strings(reply.subList(1, reply.size()))));
			return depart(departing).thenCompose((ended) -> leaveHandled(userId, handled)
				.thenApply((ignored) -> new Unregistration(result, ended ? departing : null)));
		}
		else if (result == 3) {
			next = this.gateway.async()
				.srem(this.keys.onlineUsers(partition), userId)
				.toCompletableFuture()
				.thenCompose((ignored) -> leaveHandled(userId, handled));
		}
		else {
			next = leaveHandled(userId, handled);
		}
		Unregistration unregistration = new Unregistration(result, null);
		return next.thenApply((ignored) -> unregistration);
	}

	/**
	 * The steps of a departure after the user's first: each room's members lose the user,
	 * then the online users, then the user's state and rooms go, and with them the user
	 * is offline: whoever sees the user offline sees it neither among the members nor
	 * among the online users. If a connection overtook the departure, the user is online
	 * again: back among the online users, and the rooms joined again since keep their
	 * members.
	 * @return whether this call ended the departure
	 */
	private CompletableFuture<Boolean> depart(Departure departure) {
		String userId = departure.userId();
		String online = this.keys.onlineUsers(this.keys.partitionOf(userId));
		String[] keys = { this.keys.userState(userId), this.keys.userRooms(userId) };
		return removeFromRooms(userId, departure.rooms())
			.thenCompose((ignored) -> this.gateway.async().srem(online, userId).toCompletableFuture())
			.thenCompose((ignored) -> this.gateway.<Long>evalAsync(LuaScripts.END_DEPARTURE, keys))
			.thenCompose((ended) -> {
				if (ended == 1) {
					return CompletableFuture.completedFuture(true);
				}
				return this.gateway.async()
					.sadd(online, userId)
					.toCompletableFuture()
					.thenCompose((added) -> keepRejoined(userId, departure.rooms()))
					.thenApply((ignored) -> false);
			});
	}

	private CompletableFuture<@Nullable Void> removeFromRooms(String userId, List<String> rooms) {
		List<CompletableFuture<Long>> removals = new ArrayList<>(rooms.size());
		for (String room : rooms) {
			removals.add(this.gateway.async().srem(this.keys.roomMembers(room), userId).toCompletableFuture());
		}
		return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
	}

	// Rooms the user joined again while they lost the user: their members list it again.
	private CompletableFuture<@Nullable Void> keepRejoined(String userId, List<String> rooms) {
		return userRoomsAsync(userId).thenCompose((current) -> addMember(userId, rooms, current));
	}

	private CompletableFuture<@Nullable Void> addMember(String userId, Collection<String> rooms, Set<String> current) {
		List<CompletableFuture<Long>> additions = new ArrayList<>();
		for (String room : rooms) {
			if (current.contains(room)) {
				additions.add(this.gateway.async().sadd(this.keys.roomMembers(room), userId).toCompletableFuture());
			}
		}
		return CompletableFuture.allOf(additions.toArray(CompletableFuture[]::new));
	}

	// Drops the user's entry among the leaving users, unless deferred again meanwhile.
	private CompletableFuture<?> leaveHandled(String userId, long handled) {
		if (handled == Long.MAX_VALUE) {
			return CompletableFuture.completedFuture(null);
		}
		String[] keys = { this.keys.leaving(this.keys.partitionOf(userId)) };
		return this.gateway.evalAsync(LuaScripts.LEAVE_HANDLED, keys, userId, Long.toString(handled));
	}

	/**
	 * Adds an online user to a room, publishing the control on the user's channel, then
	 * adds the user to the room's members.
	 * @return the outcome
	 */
	RoomChange joinRoom(String userId, String room, String control) {
		String[] keys = { this.keys.userState(userId), this.keys.userRooms(userId) };
		List<Object> reply = this.gateway.eval(LuaScripts.JOIN_ROOM, keys, room, this.keys.userChannel(userId),
				this.publish.framePrefix() + control, this.publish.command());
		RoomChange join = RoomChange.of(reply);
		if (join.result() >= 0) {
			this.gateway.await(this.gateway.async().sadd(this.keys.roomMembers(room), userId), "room member");
		}
		return join;
	}

	/**
	 * The outcome of a join or a leave.
	 *
	 * @param result -1 if the user is not online (a join only), 0 if already a member (a
	 * join) or not a member (a leave), 1 if added or removed
	 * @param notified how many instances the notice went to
	 */
	record RoomChange(long result, int notified) {

		static RoomChange of(List<Object> reply) {
			return new RoomChange((Long) reply.get(0), ((Long) reply.get(1)).intValue());
		}

	}

	/**
	 * Removes a user from a room, publishing the control on the user's channel, then from
	 * the room's members.
	 * @return the outcome
	 */
	RoomChange leaveRoom(String userId, String room, String control) {
		List<Object> reply = this.gateway.eval(LuaScripts.LEAVE_ROOM, new String[] { this.keys.userRooms(userId) },
				room, this.keys.userChannel(userId), this.publish.framePrefix() + control, this.publish.command());
		this.gateway.await(this.gateway.async().srem(this.keys.roomMembers(room), userId), "room member");
		return RoomChange.of(reply);
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
		this.gateway.await(addMember(userId, rooms, Set.copyOf(rooms)), "room member");
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
	 * Registers this instance as it starts, then removes the connections an earlier run
	 * under the same id left behind, with their users' presence, rooms and online state.
	 * @return what was found
	 */
	Start start() {
		String[] keys = { this.keys.instance(this.instanceId), this.keys.instanceConnections(this.instanceId) };
		long generation = this.serverRun.generation();
		List<Object> reply = this.gateway.eval(LuaScripts.START, keys, Long.toString(this.livenessTtlMillis),
				Instant.now().toString());
		this.run = (String) reply.get(2);
		this.serverRun.seen(generation, this.run);
		this.gateway.await(this.gateway.async().sadd(this.keys.instances(), this.instanceId), "instances");
		List<?> connections = (List<?>) reply.get(1);
		return new Start((Long) reply.get(0) == 1, connections.size() / 2, removeAll(this.instanceId, connections));
	}

	/**
	 * Removes connections of an instance, given as a flat list of connection id and user
	 * id, pipelined.
	 * @return the users that departed
	 */
	private List<Departure> removeAll(String instanceId, List<?> connections) {
		List<CompletableFuture<Unregistration>> removals = new ArrayList<>(connections.size() / 2);
		for (int i = 0; i + 1 < connections.size(); i += 2) {
			removals.add(unregisterAsync(instanceId, (String) connections.get(i), (String) connections.get(i + 1)));
		}
		return departures(removals, "disconnect");
	}

	private List<Departure> departures(List<CompletableFuture<Unregistration>> removals, String what) {
		List<Departure> departures = new ArrayList<>();
		for (CompletableFuture<Unregistration> removal : removals) {
			Departure departure = this.gateway.await(removal, what).departure();
			if (departure != null) {
				departures.add(departure);
			}
		}
		return List.copyOf(departures);
	}

	/**
	 * Refreshes this instance's liveness.
	 * @return what Redis still knew
	 */
	Beat heartbeat() {
		String[] keys = { this.keys.instance(this.instanceId) };
		long generation = this.serverRun.generation();
		List<Object> reply = this.gateway.eval(LuaScripts.HEARTBEAT, keys, Long.toString(this.livenessTtlMillis),
				Instant.now().toString());
		this.gateway.await(this.gateway.async().sadd(this.keys.instances(), this.instanceId), "instances");
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
	 * Extends the presence keys of users, and puts them back into their partitions of the
	 * online users (an index a step that raced a departure may have left without them):
	 * one command per user and one per partition, pipelined.
	 * @return how many presence keys were missing
	 */
	long refreshPresence(Collection<String> userIds) {
		List<CompletableFuture<Boolean>> replies = new ArrayList<>(userIds.size());
		Map<Integer, List<String>> partitions = new HashMap<>();
		for (String userId : userIds) {
			replies.add(this.gateway.async()
				.pexpire(this.keys.presence(userId), this.presenceTtlMillis)
				.toCompletableFuture());
			partitions.computeIfAbsent(this.keys.partitionOf(userId), (partition) -> new ArrayList<>()).add(userId);
		}
		List<CompletableFuture<Long>> indexed = new ArrayList<>(partitions.size());
		partitions.forEach((partition,
				users) -> indexed.add(this.gateway.async()
					.sadd(this.keys.onlineUsers(partition), users.toArray(String[]::new))
					.toCompletableFuture()));
		long missing = 0;
		for (CompletableFuture<Boolean> reply : replies) {
			if (!Boolean.TRUE.equals(this.gateway.await(reply, "presence refresh"))) {
				missing++;
			}
		}
		for (CompletableFuture<Long> reply : indexed) {
			this.gateway.await(reply, "online users");
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
	 * Removes what a dead instance held, if its liveness key is still gone: each
	 * connection, then the instance itself once nothing is left.
	 * @return the users that left
	 */
	List<Departure> reap(String deadInstanceId) {
		String[] keys = { this.keys.instance(deadInstanceId), this.keys.instanceConnections(deadInstanceId) };
		List<Object> reply = this.gateway.eval(LuaScripts.REAP, keys);
		if ((Long) reply.get(0) == 0) {
			return List.of();
		}
		List<Departure> left = removeAll(deadInstanceId, (List<?>) reply.get(1));
		if (this.gateway.<Long>eval(LuaScripts.REAPED, keys) == 1) {
			this.gateway.await(this.gateway.async().srem(this.keys.instances(), deadInstanceId), "instances");
		}
		return left;
	}

	/**
	 * Completes the leaves whose grace period ran out and whose user did not come back,
	 * at most {@value #LEAVES_PER_STEP} per partition.
	 * @return the users that left
	 */
	List<Departure> finishLeaves() {
		List<CompletableFuture<List<ScoredValue<String>>>> due = new ArrayList<>(this.keys.partitions());
		Range<Long> untilNow = Range.create(Long.MIN_VALUE, System.currentTimeMillis());
		for (int partition = 0; partition < this.keys.partitions(); partition++) {
			due.add(this.gateway.async()
				.zrangebyscoreWithScores(this.keys.leaving(partition), untilNow, Limit.create(0, LEAVES_PER_STEP))
				.toCompletableFuture());
		}
		List<CompletableFuture<Unregistration>> leaves = new ArrayList<>();
		for (CompletableFuture<List<ScoredValue<String>>> partition : due) {
			for (ScoredValue<String> entry : this.gateway.await(partition, "leaving")) {
				String userId = entry.getValue();
				long handled = (long) entry.getScore();
				String[] keys = { this.keys.presence(userId), this.keys.userState(userId),
						this.keys.userRooms(userId) };
				leaves.add(this.gateway.<List<Object>>evalAsync(LuaScripts.FINISH_LEAVE, keys)
					.thenCompose((reply) -> afterUserStep(userId, reply, handled)));
			}
		}
		return departures(leaves, LuaScripts.FINISH_LEAVE.name());
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
		Set<String> users = new HashSet<>();
		for (CompletableFuture<Set<String>> partition : perPartition(
				(key) -> this.gateway.async().smembers(key).toCompletableFuture())) {
			users.addAll(this.gateway.await(partition, "online users"));
		}
		return users;
	}

	long onlineUserCount() {
		long count = 0;
		for (CompletableFuture<Long> partition : perPartition(
				(key) -> this.gateway.async().scard(key).toCompletableFuture())) {
			count += this.gateway.await(partition, "online user count");
		}
		return count;
	}

	private <T> List<CompletableFuture<T>> perPartition(Function<String, CompletableFuture<T>> read) {
		List<CompletableFuture<T>> replies = new ArrayList<>(this.keys.partitions());
		for (int partition = 0; partition < this.keys.partitions(); partition++) {
			replies.add(read.apply(this.keys.onlineUsers(partition)));
		}
		return replies;
	}

	boolean isOnline(String userId) {
		return this.gateway.await(this.gateway.async().hexists(this.keys.userState(userId), "online"), "online");
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
