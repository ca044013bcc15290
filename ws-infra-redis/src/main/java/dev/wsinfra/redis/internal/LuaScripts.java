package dev.wsinfra.redis.internal;

import java.util.List;

import io.lettuce.core.ScriptOutputType;

/**
 * Every Lua script of the module. Each one is a single atomic step in Redis, which is
 * what makes the cluster-wide rules hold: the per-user limit, "last connection anywhere"
 * and the append-then-publish of persistent messages.
 * <p>
 * Keys that depend on data read inside a script (a user's rooms, a dead instance's users)
 * are built from the prefix passed as an argument, with the names of {@link RedisKeys}.
 * On Redis Cluster every key must then hash to one slot: use a prefix with a hash tag,
 * such as {@code {ws}:}.
 */
public final class LuaScripts {

	private static final String COMMON = """
			local function now_ms()
			  local t = redis.call('TIME')
			  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			end
			-- Returns the rooms the user was in
			local function remove_user(prefix, user)
			  redis.call('SREM', prefix .. 'online_users', user)
			  redis.call('ZREM', prefix .. 'leaving', user)
			  local rooms_key = prefix .. 'user_rooms:' .. user
			  local rooms = redis.call('SMEMBERS', rooms_key)
			  for _, room in ipairs(rooms) do
			    redis.call('SREM', prefix .. 'room_members:' .. room, user)
			  end
			  redis.call('DEL', rooms_key)
			  return rooms
			end
			-- A user has no connection left: 0 = was not online, 1 = leave deferred, 2 = left now,
			-- with the rooms left
			local function last_connection_gone(prefix, user, grace)
			  if redis.call('SISMEMBER', prefix .. 'online_users', user) == 0 then
			    return 0, {}
			  end
			  if grace > 0 then
			    redis.call('ZADD', prefix .. 'leaving', now_ms() + grace, user)
			    return 1, {}
			  end
			  return 2, remove_user(prefix, user)
			end
			-- Removes every connection an instance holds: returns {user, rooms} for each user that left
			local function remove_connections(inventory_key, prefix, grace)
			  local left = {}
			  local entries = redis.call('HGETALL', inventory_key)
			  for i = 1, #entries, 2 do
			    local user = entries[i + 1]
			    local presence = prefix .. 'presence:' .. user
			    redis.call('HDEL', presence, entries[i])
			    if redis.call('HLEN', presence) == 0 then
			      local gone, rooms = last_connection_gone(prefix, user, grace)
			      if gone == 2 then
			        left[#left + 1] = {user, rooms}
			      end
			    end
			  end
			  redis.call('DEL', inventory_key)
			  return left
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
	 * Registers a connection unless the user is at the limit. KEYS: presence, instance
	 * connections, online users, user rooms, leaving. ARGV: connection id, user id,
	 * entry, limit (0 for none), presence TTL in ms. Returns {@code {-1}} when refused,
	 * otherwise {@code {joined, room...}} where joined is 1 if the user was not online.
	 */
	public static final LuaScript CONNECT = new LuaScript("connect", """
			local limit = tonumber(ARGV[4])
			if limit > 0 and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0
			    and redis.call('HLEN', KEYS[1]) >= limit then
			  return {-1}
			end
			redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
			redis.call('PEXPIRE', KEYS[1], ARGV[5])
			redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
			redis.call('ZREM', KEYS[5], ARGV[2])
			local result = {redis.call('SADD', KEYS[3], ARGV[2])}
			for _, room in ipairs(redis.call('SMEMBERS', KEYS[4])) do
			  result[#result + 1] = room
			end
			return result
			""", ScriptOutputType.MULTI);

	/**
	 * Removes a connection. KEYS: presence, instance connections. ARGV: connection id,
	 * user id, prefix, grace in ms. Returns {@code {0}} while the user has connections
	 * left, otherwise what {@code last_connection_gone} returns: {@code {code, room...}}.
	 */
	public static final LuaScript DISCONNECT = new LuaScript("disconnect", COMMON + """
			redis.call('HDEL', KEYS[2], ARGV[1])
			redis.call('HDEL', KEYS[1], ARGV[1])
			if redis.call('HLEN', KEYS[1]) > 0 then
			  return {0}
			end
			local gone, rooms = last_connection_gone(ARGV[3], ARGV[2], tonumber(ARGV[4]))
			local result = {gone}
			for _, room in ipairs(rooms) do
			  result[#result + 1] = room
			end
			return result
			""", ScriptOutputType.MULTI);

	/**
	 * Removes everything a dead instance held, unless its liveness key is back. KEYS:
	 * liveness key, instance connections, instances. ARGV: instance id, prefix, grace in
	 * ms. Returns {@code {user, rooms}} for each user that left.
	 */
	public static final LuaScript REAP = new LuaScript("reap", COMMON + """
			if redis.call('EXISTS', KEYS[1]) == 1 then
			  return {}
			end
			local left = remove_connections(KEYS[2], ARGV[2], tonumber(ARGV[3]))
			redis.call('SREM', KEYS[3], ARGV[1])
			return left
			""", ScriptOutputType.MULTI);

	/**
	 * Registers a starting instance: removes what an earlier run under the same id left
	 * (it died without cleanup and kept the id, like a StatefulSet pod), then sets the
	 * liveness. KEYS: liveness key, instance connections, instances. ARGV: instance id,
	 * prefix, grace in ms, liveness TTL in ms, description. Returns {@code {alive,
	 * removed, left, run}}: alive is 1 if the liveness key still existed, removed the
	 * number of connections removed, left {@code {user, rooms}} for each user that left,
	 * run the server's run.
	 */
	public static final LuaScript START = new LuaScript("start", COMMON + RUN + """
			local alive = redis.call('EXISTS', KEYS[1])
			local removed = redis.call('HLEN', KEYS[2])
			local left = remove_connections(KEYS[2], ARGV[2], tonumber(ARGV[3]))
			redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[4])
			redis.call('SADD', KEYS[3], ARGV[1])
			return {alive, removed, left, current_run()}
			""", ScriptOutputType.MULTI);

	/**
	 * Completes the leaves whose grace period ran out and whose user did not come back.
	 * KEYS: leaving. ARGV: prefix, maximum users. Returns {@code {user, rooms}} for each
	 * user that left.
	 */
	public static final LuaScript FINISH_LEAVES = new LuaScript("finish-leaves", COMMON + """
			local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms(), 'LIMIT', 0, tonumber(ARGV[2]))
			local left = {}
			for _, user in ipairs(due) do
			  redis.call('ZREM', KEYS[1], user)
			  if redis.call('HLEN', ARGV[1] .. 'presence:' .. user) == 0
			      and redis.call('SISMEMBER', ARGV[1] .. 'online_users', user) == 1 then
			    left[#left + 1] = {user, remove_user(ARGV[1], user)}
			  end
			end
			return left
			""", ScriptOutputType.MULTI);

	/**
	 * Refreshes an instance's liveness. KEYS: liveness key, instances. ARGV: instance id,
	 * liveness TTL in ms, description. Returns {@code {registered, run}}: registered is 1
	 * if the instance was still registered, 0 if Redis forgot it (restart, data loss, or
	 * reaped as dead); run is the server's run.
	 */
	public static final LuaScript HEARTBEAT = new LuaScript("heartbeat", RUN + """
			local registered = redis.call('SISMEMBER', KEYS[2], ARGV[1])
			redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
			redis.call('SADD', KEYS[2], ARGV[1])
			return {registered, current_run()}
			""", ScriptOutputType.MULTI);

	/**
	 * Adds an online user to a room and tells the user's instances. KEYS: online users,
	 * user rooms, room members. ARGV: user, room, user channel, control payload, publish
	 * command ({@code PUBLISH}, or {@code SPUBLISH} for sharded subscribers). Returns
	 * {@code {-1, 0}} if the user is not online, {@code {0, 0}} if already a member, and
	 * {@code {1, subscribers}} if added, where subscribers is how many connections (one
	 * per instance holding the user) the notice went to; pattern subscriptions, such as a
	 * monitoring tool's, are not counted.
	 */
	public static final LuaScript JOIN_ROOM = new LuaScript("join-room", """
			if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
			  return {-1, 0}
			end
			local added = redis.call('SADD', KEYS[2], ARGV[2])
			redis.call('SADD', KEYS[3], ARGV[1])
			if added == 0 then
			  return {0, 0}
			end
			local sharded = ARGV[5] == 'SPUBLISH'
			local subscribers = redis.call('PUBSUB', sharded and 'SHARDNUMSUB' or 'NUMSUB', ARGV[3])[2]
			redis.call(sharded and 'SPUBLISH' or 'PUBLISH', ARGV[3], ARGV[4])
			return {1, subscribers}
			""", ScriptOutputType.MULTI);

	/**
	 * Removes a user from a room and tells the user's other instances. KEYS: user rooms,
	 * room members. ARGV: user, room, user channel, control payload, publish command
	 * ({@code PUBLISH} or {@code SPUBLISH}). Returns 1 if removed.
	 */
	public static final LuaScript LEAVE_ROOM = new LuaScript("leave-room", """
			local removed = redis.call('SREM', KEYS[1], ARGV[2])
			redis.call('SREM', KEYS[2], ARGV[1])
			if removed == 1 then
			  redis.call(ARGV[5] == 'SPUBLISH' and 'SPUBLISH' or 'PUBLISH', ARGV[3], ARGV[4])
			end
			return removed
			""", ScriptOutputType.INTEGER);

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
		return List.of(CONNECT, DISCONNECT, REAP, START, FINISH_LEAVES, HEARTBEAT, JOIN_ROOM, LEAVE_ROOM, RESTORE_ROOMS,
				APPEND, READ_AFTER, CLAIM_TASKS, ACK_TASK, REFRESH_TASKS);
	}

	private LuaScripts() {
	}

}
