package dev.wsinfra.redis.internal;

import io.lettuce.core.ScriptOutputType;

/**
 * A Lua script with the type of its reply.
 *
 * @param name a name for logs
 * @param source the script
 * @param outputType how Lettuce decodes the reply
 */
public record LuaScript(String name, String source, ScriptOutputType outputType) {

	@Override
	public String toString() {
		return "LuaScript[" + this.name + "]";
	}

}
