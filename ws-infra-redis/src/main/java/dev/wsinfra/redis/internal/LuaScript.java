package dev.wsinfra.redis.internal;

import java.util.Objects;

import io.lettuce.core.ScriptOutputType;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Lua script with the type of its reply, run by its SHA1 digest ({@code EVALSHA}) once
 * Redis has it cached. Immutable.
 */
public final class LuaScript {

	private final String name;

	private final String source;

	private final String sha1;

	private final ScriptOutputType outputType;

	/**
	 * Creates a script.
	 * @param name a name for logs
	 * @param source the script
	 * @param outputType how Lettuce decodes the reply
	 */
	public LuaScript(String name, String source, ScriptOutputType outputType) {
		this.name = Objects.requireNonNull(name, "name must not be null");
		this.source = Objects.requireNonNull(source, "source must not be null");
		// Read once: Spring's RedisScript takes a lock to hand out its digest on
		// every call.
		this.sha1 = RedisScript.of(source).getSha1();
		this.outputType = Objects.requireNonNull(outputType, "outputType must not be null");
	}

	public String name() {
		return this.name;
	}

	public String source() {
		return this.source;
	}

	/** The SHA1 digest Redis caches the script under. */
	public String sha1() {
		return this.sha1;
	}

	public ScriptOutputType outputType() {
		return this.outputType;
	}

	@Override
	public String toString() {
		return "LuaScript[" + this.name + "]";
	}

}
