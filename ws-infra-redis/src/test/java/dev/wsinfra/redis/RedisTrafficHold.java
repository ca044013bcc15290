package dev.wsinfra.redis;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.Transports;
import io.netty.channel.EventLoopGroup;

import org.springframework.context.ApplicationContext;

/**
 * Stalls the Redis traffic of one {@link Cluster} instance, as a busy machine may: every
 * I/O thread of the instance's Lettuce client is kept busy until {@link #release()}, or
 * for a bounded time, so that what the instance sends to Redis meanwhile reaches it after
 * what the other instances send. Redis and the other instances go on.
 */
final class RedisTrafficHold {

	private final ClientResources resources;

	private final Duration atMost;

	private final CountDownLatch released = new CountDownLatch(1);

	RedisTrafficHold(ApplicationContext instance, Duration atMost) {
		this.resources = instance.getBean(ClientResources.class);
		this.atMost = atMost;
	}

	/**
	 * Starts the stall without waiting: what the instance writes to Redis from now on
	 * waits behind it.
	 */
	void hold() {
		EventLoopGroupProvider provider = this.resources.eventLoopGroupProvider();
		// The group the instance's connections run on, shared: taken and given back.
		EventLoopGroup group = provider.allocate(Transports.eventLoopGroupClass());
		try {
			group.forEach((loop) -> loop.execute(this::stall));
		}
		finally {
			provider.release(group, 0, 0, TimeUnit.MILLISECONDS);
		}
	}

	/** Ends the stall, if it is still on. */
	void release() {
		this.released.countDown();
	}

	private void stall() {
		try {
			this.released.await(this.atMost.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
