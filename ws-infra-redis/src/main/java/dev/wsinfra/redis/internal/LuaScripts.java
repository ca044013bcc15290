package dev.wsinfra.redis.internal;

import java.util.List;

import io.lettuce.core.ScriptOutputType;

/**
 * Every Lua script of the module. Each one is a single atomic step on the keys of one
 * user, one room, one instance, one partition or one stream, so that it runs on one slot
 * of a Redis Cluster; the keys come from a {@link KeyLayout}. What must hold at once
 * holds within one step: the per-user limit (the user's connections), "last connection
 * anywhere" (the user's state), the append-then-publish of persistent messages (the
 * stream and its channel). An operation over several of them is a sequence of steps, see
 * {@code PresenceStore}.
 * <p>
 * A user's state is a hash in the user's slot: {@code online} while the user is online
 * (also during a deferred leave and a departure), {@code leave_at} when a deferred leave
 * is due, and {@code departing} between the first and the last step of a departure.
 */
public final class LuaScripts {

	private static final String COMMON = """
			local function now_ms()
			  local t = redis.call('TIME')
			  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			end
			-- Departure of a user without connections, begun or repeated: {2, room...}. The user
			-- stays online until it ends.
			local function depart(state, rooms)
			  if redis.call('HEXISTS', state, 'departing') == 0 then
			    redis.call('HDEL', state, 'leave_at')
			    redis.call('HSET', state, 'departing', '1')
			  end
			  local result = {2}
			  for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
			    result[#result + 1] = room
			  end
			  return result
			end
			-- What to answer for a user whose removal is decided already: {0} while they have a
			-- connection, a departure under way, {3} when not online; nil otherwise
			local function decided(presence, state, rooms)
			  if redis.call('HLEN', presence) > 0 then
			    return {0}
			  end
			  if redis.call('HEXISTS', state, 'departing') == 1 then
			    return depart(state, rooms)
			  end
			  if redis.call('HEXISTS', state, 'online') == 0 then
			    return {3}
			  end
			  return nil
			end
			""";

	/**
	 * Which run of the Redis server this is: the first 16 hex digits of its run id. A
	 * server restarted or failed over (which may have lost its last writes: a snapshot,
	 * an AOF written every second, a lagging replica) has another.
	 */
	private static final String RUN = """
			local function current_run()
			  return string.sub(string.match(redis.call('INFO', 'server'), 'run_id:(%x+)'), 1, 16)
			end
			""";

	/**
	 * Registers a connection of a user unless the user is at the limit, in the user's
	 * slot. KEYS: presence, state, user rooms. ARGV: connection id, entry, limit (0 for
	 * none), presence TTL in ms. Returns {@code {-1}} when refused, otherwise
	 * {@code {joined, rooms, departed}} where joined is 1 if the user was not online,
	 * rooms the user's rooms, and departed the rooms of a departure this connection
	 * overtook: the user left them, and comes back without them; their members still list
	 * the user until the caller removes it.
	 */
	public static final LuaScript CONNECT = new LuaScript("connect", """
			local limit = tonumber(ARGV[3])
			if limit > 0 and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0
			    and redis.call('HLEN', KEYS[1]) >= limit then
			  return {-1}
			end
			redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
			redis.call('PEXPIRE', KEYS[1], ARGV[4])
			local joined = 0
			local departed = {}
			if redis.call('HEXISTS', KEYS[2], 'departing') == 1 then
			  departed = redis.call('SMEMBERS', KEYS[3])
			  redis.call('DEL', KEYS[2], KEYS[3])
			  redis.call('HSET', KEYS[2], 'online', '1')
			  joined = 1
			elseif redis.call('HEXISTS', KEYS[2], 'online') == 0 then
			  redis.call('HSET', KEYS[2], 'online', '1')
			  joined = 1
			else
			  redis.call('HDEL', KEYS[2], 'leave_at')
			end
			return {joined, redis.call('SMEMBERS', KEYS[3]), departed}
			""", ScriptOutputType.MULTI);

	/**
	 * Removes a connection of a user, in the user's slot. KEYS: presence, state, user
	 * rooms. ARGV: connection id, grace in ms. Returns {@code {0}} while the user has
	 * connections left, {@code {1, due}} when the leave is deferred until due (ms),
	 * {@code {2, room...}} when the user departs (see {@link #FINISH_LEAVE}), and
	 * {@code {3}} when the user was not online.
	 */
	public static final LuaScript DISCONNECT = new LuaScript("disconnect", COMMON + """
			redis.call('HDEL', KEYS[1], ARGV[1])
			local decision = decided(KEYS[1], KEYS[2], KEYS[3])
			if decision then
			  return decision
			end
			local grace = tonumber(ARGV[2])
			if grace > 0 then
			  local due = redis.call('HGET', KEYS[2], 'leave_at')
			  if not due then
			    due = now_ms() + grace
			    redis.call('HSET', KEYS[2], 'leave_at', due)
			  end
			  return {1, tonumber(due)}
			end
			return depart(KEYS[2], KEYS[3])
			""", ScriptOutputType.MULTI);

	/**
	 * Begins the departure of a user whose deferred leave is due, in the user's slot.
	 * KEYS: presence, state, user rooms. Returns {@code {0}} if the user has a connection
	 * again, {@code {1, due}} if the leave is not due yet, {@code {2, room...}} when the
	 * user departs: the state says departing until {@link #END_DEPARTURE}, and the rooms
	 * are kept until then, so that a step repeated after a crash finds them; {@code {3}}
	 * if the user is not online.
	 */
	public static final LuaScript FINISH_LEAVE = new LuaScript("finish-leave", COMMON + """
			local decision = decided(KEYS[1], KEYS[2], KEYS[3])
			if decision then
			  return decision
			end
			local due = redis.call('HGET', KEYS[2], 'leave_at')
			if due and tonumber(due) > now_ms() then
			  return {1, tonumber(due)}
			end
			return depart(KEYS[2], KEYS[3])
			""", ScriptOutputType.MULTI);

	/**
	 * Ends a departure, after the rooms' members lost the user, in the user's slot. KEYS:
	 * state, user rooms. Returns 1 if the user departed, which the caller reports, once
	 * whoever repeated the steps; 0 if it was ended already or a connection overtook it
	 * (the user is online again, without the rooms departed from).
	 */
	public static final LuaScript END_DEPARTURE = new LuaScript("end-departure", """
			if redis.call('HEXISTS', KEYS[1], 'departing') == 0 then
			  return 0
			end
			redis.call('DEL', KEYS[1], KEYS[2])
			return 1
			""", ScriptOutputType.INTEGER);

	/**
	 * Removes a user from a partition of the leaving users if the entry is not later than
	 * the one handled: a leave deferred again meanwhile stays. KEYS: leaving. ARGV: user,
	 * due handled (ms). Returns 1 if removed.
	 */
	public static final LuaScript LEAVE_HANDLED = new LuaScript("leave-handled", """
			local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
			if due and tonumber(due) <= tonumber(ARGV[2]) then
			  return redis.call('ZREM', KEYS[1], ARGV[1])
			end
			return 0
			""", ScriptOutputType.INTEGER);

	/**
	 * Registers a starting instance, in the instance's slot: sets its liveness and hands
	 * back what an earlier run under the same id left (it died without cleanup and kept
	 * the id, like a StatefulSet pod), for the caller to remove. KEYS: liveness key,
	 * instance connections. ARGV: liveness TTL in ms, description. Returns {@code {alive,
	 * connections, run}}: alive is 1 if the liveness key still existed, connections a
	 * flat list of connection id and user id, run the server's run.
	 */
	public static final LuaScript START = new LuaScript("start", RUN + """
			local alive = redis.call('EXISTS', KEYS[1])
			local connections = redis.call('HGETALL', KEYS[2])
			redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
			return {alive, connections, current_run()}
			""", ScriptOutputType.MULTI);

	/**
	 * Refreshes an instance's liveness, in the instance's slot. KEYS: liveness key. ARGV:
	 * liveness TTL in ms, description. Returns {@code {registered, run}}: registered is 1
	 * if the liveness key still existed, 0 if Redis forgot the instance (restart, data
	 * loss, or a heartbeat so late that it may have been reaped as dead); run is the
	 * server's run.
	 */
	public static final LuaScript HEARTBEAT = new LuaScript("heartbeat", RUN + """
			local registered = redis.call('EXISTS', KEYS[1])
			redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
			return {registered, current_run()}
			""", ScriptOutputType.MULTI);

	/**
	 * Hands back what a dead instance held, unless its liveness key is back, in the
	 * instance's slot. KEYS: liveness key, instance connections. Returns {@code {0}} if
	 * the instance is alive, otherwise {@code {1, connections}} with a flat list of
	 * connection id and user id, which the caller removes one by one.
	 */
	public static final LuaScript REAP = new LuaScript("reap", """
			if redis.call('EXISTS', KEYS[1]) == 1 then
			  return {0}
			end
			return {1, redis.call('HGETALL', KEYS[2])}
			""", ScriptOutputType.MULTI);

	/**
	 * Ends the reaping of a dead instance once all its connections are removed, in the
	 * instance's slot. KEYS: liveness key, instance connections. Returns 1 if the
	 * instance is gone, 0 if it is alive again or still holds connections.
	 */
	public static final LuaScript REAPED = new LuaScript("reaped", """
			if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('HLEN', KEYS[2]) > 0 then
			  return 0
			end
			return 1
			""", ScriptOutputType.INTEGER);

	/**
	 * Adds an online user to a room and tells the user's instances, in the user's slot
	 * (the room's members follow). KEYS: state, user rooms. ARGV: room, user channel,
	 * control payload, publish command ({@code PUBLISH}, or {@code SPUBLISH} for sharded
	 * subscribers). Returns {@code {-1, 0}} if the user is not online or departs,
	 * {@code {0, 0}} if already a member, and {@code {1, subscribers}} if added, where
	 * subscribers is how many connections (one per instance holding the user) the notice
	 * went to; pattern subscriptions, such as a monitoring tool's, are not counted.
	 */
	public static final LuaScript JOIN_ROOM = new LuaScript("join-room", """
			if redis.call('HEXISTS', KEYS[1], 'online') == 0
			    or redis.call('HEXISTS', KEYS[1], 'departing') == 1 then
			  return {-1, 0}
			end
			if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then
			  return {0, 0}
			end
			local sharded = ARGV[4] == 'SPUBLISH'
			local subscribers = redis.call('PUBSUB', sharded and 'SHARDNUMSUB' or 'NUMSUB', ARGV[2])[2]
			redis.call(sharded and 'SPUBLISH' or 'PUBLISH', ARGV[2], ARGV[3])
			return {1, subscribers}
			""", ScriptOutputType.MULTI);

	/**
	 * Removes a user from a room and tells the user's other instances, in the user's slot
	 * (the room's members follow). KEYS: user rooms. ARGV: room, user channel, control
	 * payload, publish command ({@code PUBLISH} or {@code SPUBLISH}). Returns {@code {0,
	 * 0}} if the user was not a member, {@code {1, subscribers}} if removed, counted as
	 * for {@link #JOIN_ROOM}.
	 */
	public static final LuaScript LEAVE_ROOM = new LuaScript("leave-room", """
			if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then
			  return {0, 0}
			end
			local sharded = ARGV[4] == 'SPUBLISH'
			local subscribers = redis.call('PUBSUB', sharded and 'SHARDNUMSUB' or 'NUMSUB', ARGV[2])[2]
			redis.call(sharded and 'SPUBLISH' or 'PUBLISH', ARGV[2], ARGV[3])
			return {1, subscribers}
			""", ScriptOutputType.MULTI);

	/**
	 * Puts back rooms into a user's set of rooms after Redis lost them, the first of the
	 * steps of a restore (the rooms' members follow). KEYS: user rooms. ARGV: room...
	 * Returns every room of the user.
	 */
	public static final LuaScript RESTORE_ROOMS = new LuaScript("restore-rooms", """
			for i = 1, #ARGV do
			  redis.call('SADD', KEYS[1], ARGV[i])
			end
			return redis.call('SMEMBERS', KEYS[1])
			""", ScriptOutputType.MULTI);

	/**
	 * The stream functions: the epoch and the server run an entry was written in.
	 */
	private static final String STREAMS = RUN + """
			local function epoch_and_run(fields)
			  local epoch, run
			  for i = 1, #fields, 2 do
			    if fields[i] == 'epoch' then
			      epoch = fields[i + 1]
			    elseif fields[i] == 'run' then
			      run = fields[i + 1]
			    end
			  end
			  return epoch, run
			end
			""";

	/**
	 * Appends to a stream and publishes the entry to live subscribers in one step. The
	 * epoch is the last entry's if the same server run wrote it; otherwise (a new stream,
	 * a lost one, or a Redis restart since) the candidate. The run is the one the
	 * instance last saw, or, when it does not know it (its connection dropped since), the
	 * server's: an entry may then carry an older run than the one that wrote it, which
	 * only keeps a position at it from being recovered. KEYS: stream. ARGV: max length,
	 * candidate epoch, data, excluded user ('' for none), channel, instance id, stream
	 * name, TTL in ms (0 for none), run ('' for unknown), {@code SPUBLISH} to publish to
	 * sharded subscribers (the channel must then be in the stream's slot), anything else
	 * for {@code PUBLISH}, what goes before the published entry ('' for plain
	 * subscribers). Returns {@code {id, epoch}}.
	 */
	public static final LuaScript APPEND = new LuaScript("append", STREAMS + """
			local run = ARGV[9]
			if run == '' then
			  run = current_run()
			end
			local epoch = ARGV[2]
			local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
			if #last > 0 then
			  local last_epoch, last_run = epoch_and_run(last[1][2])
			  if last_epoch and last_run == run then
			    epoch = last_epoch
			  end
			end
			local id
			if ARGV[4] ~= '' then
			  id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'data', ARGV[3], 'epoch', epoch,
			      'run', run, 'exclude', ARGV[4])
			else
			  id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'data', ARGV[3], 'epoch', epoch, 'run', run)
			end
			if tonumber(ARGV[8]) > 0 then
			  redis.call('PEXPIRE', KEYS[1], ARGV[8])
			end
			local publish = (ARGV[10] == 'SPUBLISH') and 'SPUBLISH' or 'PUBLISH'
			redis.call(publish, ARGV[5], ARGV[11] .. cjson.encode({instance = ARGV[6], stream = ARGV[7], id = id,
			    epoch = epoch, data = ARGV[3], excludeUser = ARGV[4]}))
			return {id, epoch}
			""", ScriptOutputType.MULTI);

	/**
	 * Reads what followed a position, if the stream still holds it in the same epoch and
	 * this server run wrote it. KEYS: stream. ARGV: id, epoch, limit. Returns {@code {1,
	 * entries}}, or {@code {0}} when the position is gone, belongs to another epoch, was
	 * written before Redis restarted (what followed it then may be lost), or more than
	 * limit entries followed it.
	 */
	public static final LuaScript READ_AFTER = new LuaScript("read-after", STREAMS + """
			local at = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
			if #at == 0 then
			  return {0}
			end
			local epoch, run = epoch_and_run(at[1][2])
			if epoch ~= ARGV[2] or run ~= current_run() then
			  return {0}
			end
			local limit = tonumber(ARGV[3])
			local tail = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', limit + 1)
			if #tail > limit then
			  return {0}
			end
			return {1, tail}
			""", ScriptOutputType.MULTI);

	/**
	 * Claims a group's tasks idle for longer than the claim time, and moves to the
	 * dead-letter stream those already delivered the maximum number of times: appended
	 * there (trimmed to about its maximum length), acknowledged and, unless told to keep
	 * them, deleted from the task stream, in one step. KEYS: stream, dead-letter stream.
	 * ARGV: group, consumer, minimum idle ms, count, maximum deliveries, dead-letter
	 * maximum length, 1 to delete acknowledged tasks. Returns {@code {claimed, dead}}:
	 * claimed is a list of {@code {id, fields, deliveries}}, dead a list of ids.
	 */
	public static final LuaScript CLAIM_TASKS = new LuaScript("claim-tasks", """
			local pending = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', tonumber(ARGV[3]), '-', '+',
			    tonumber(ARGV[4]))
			local claimed = {}
			local dead = {}
			for _, entry in ipairs(pending) do
			  local id = entry[1]
			  local deliveries = tonumber(entry[4])
			  local found = redis.call('XRANGE', KEYS[1], id, id)
			  if #found == 0 then
			    redis.call('XACK', KEYS[1], ARGV[1], id)
			  elseif deliveries >= tonumber(ARGV[5]) then
			    local fields = found[1][2]
			    fields[#fields + 1] = 'source_id'
			    fields[#fields + 1] = id
			    fields[#fields + 1] = 'deliveries'
			    fields[#fields + 1] = tostring(deliveries)
			    fields[#fields + 1] = 'group'
			    fields[#fields + 1] = ARGV[1]
			    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', unpack(fields))
			    redis.call('XACK', KEYS[1], ARGV[1], id)
			    if ARGV[7] == '1' then
			      redis.call('XDEL', KEYS[1], id)
			    end
			    dead[#dead + 1] = id
			  else
			    local taken = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], tonumber(ARGV[3]), id)
			    if #taken > 0 then
			      claimed[#claimed + 1] = {taken[1][1], taken[1][2], deliveries + 1}
			    end
			  end
			end
			return {claimed, dead}
			""", ScriptOutputType.MULTI);

	/**
	 * Acknowledges a task and, unless told to keep it, deletes it from the stream. KEYS:
	 * stream. ARGV: group, id, 1 to delete. Returns 1 if the task was pending.
	 */
	public static final LuaScript ACK_TASK = new LuaScript("ack-task", """
			local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
			if ARGV[3] == '1' then
			  redis.call('XDEL', KEYS[1], ARGV[2])
			end
			return acked
			""", ScriptOutputType.INTEGER);

	/**
	 * Keeps tasks being handled from being claimed: resets the idle time of each, without
	 * counting a delivery, if it is still pending for this consumer. KEYS: stream. ARGV:
	 * group, consumer, id... Returns the ids no longer this consumer's.
	 */
	public static final LuaScript REFRESH_TASKS = new LuaScript("refresh-tasks", """
			local lost = {}
			for i = 3, #ARGV do
			  local mine = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2])
			  if #mine == 0 then
			    lost[#lost + 1] = ARGV[i]
			  else
			    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
			  end
			end
			return lost
			""", ScriptOutputType.MULTI);

	/**
	 * Returns every script, for loading them into Redis's script cache.
	 * @return the scripts
	 */
	public static List<LuaScript> all() {
		return List.of(CONNECT, DISCONNECT, FINISH_LEAVE, END_DEPARTURE, LEAVE_HANDLED, START, HEARTBEAT, REAP, REAPED,
				JOIN_ROOM, LEAVE_ROOM, RESTORE_ROOMS, APPEND, READ_AFTER, CLAIM_TASKS, ACK_TASK, REFRESH_TASKS);
	}

	private LuaScripts() {
	}

}
