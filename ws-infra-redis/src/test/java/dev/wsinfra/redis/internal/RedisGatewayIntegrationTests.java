package dev.wsinfra.redis.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.wsinfra.redis.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scripts run by digest, and survive Redis forgetting them.
 */
class RedisGatewayIntegrationTests {

	private static final LuaScript ECHO = new LuaScript("echo", "return ARGV[1]", ScriptOutputType.VALUE);

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	private RedisGateway gateway;

	@BeforeEach
	void connect() {
		this.client = RedisClient.create(redis.url());
		this.connection = this.client.connect(StringCodec.UTF8);
		this.gateway = new RedisGateway(this.connection, Duration.ofSeconds(5));
		this.connection.sync().scriptFlush();
		this.connection.sync().configResetstat();
	}

	@AfterEach
	void close() {
		this.connection.close();
		this.client.shutdown();
	}

	private long calls(String command) {
		Matcher matcher = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)")
			.matcher(this.connection.sync().info("commandstats"));
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	@Test // #5
	void loadedScriptsRunByDigestWithoutSendingTheirSource() {
		this.gateway.load(List.of(ECHO));

		for (int i = 0; i < 3; i++) {
			assertThat(this.gateway.<String>eval(ECHO, new String[0], "hi " + i)).isEqualTo("hi " + i);
		}

		assertThat(calls("evalsha")).isEqualTo(3);
		assertThat(calls("eval")).isZero();
	}

	@Test // #5
	void aScriptRedisForgotIsSentAgainOnceAndThenRunsByDigest() {
		this.gateway.load(List.of(ECHO));
		this.connection.sync().scriptFlush();

		assertThat(this.gateway.<String>eval(ECHO, new String[0], "after a flush")).isEqualTo("after a flush");
		assertThat(this.gateway.<String>eval(ECHO, new String[0], "again")).isEqualTo("again");

		assertThat(calls("eval")).isOne();
		assertThat(calls("evalsha")).isEqualTo(2);
	}

	@Test
	void everyScriptOfTheModuleIsLoadedAtStart() throws IllegalAccessException {
		List<LuaScript> declared = new ArrayList<>();
		for (Field field : LuaScripts.class.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == LuaScript.class) {
				declared.add((LuaScript) field.get(null));
			}
		}

		this.gateway.load(LuaScripts.all());

		assertThat(LuaScripts.all()).containsExactlyInAnyOrderElementsOf(declared);
		for (LuaScript script : declared) {
			assertThat(this.connection.sync().scriptExists(script.sha1())).as(script.name()).containsExactly(true);
		}
	}

}
