package dev.wsinfra.client.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Sends a ping every interval and declares the connection dead when its pong does not
 * come back within the timeout. One ping is outstanding at a time; its 8-byte payload is
 * a sequence number, so an unsolicited or stale pong is not mistaken for the answer. Time
 * during which the client itself holds the reading thread ({@link ReadPause}) does not
 * count against the peer. The round trip of the last answered ping is the latency.
 */
public final class Keepalive {

	/**
	 * Sends a ping frame.
	 */
	public interface Pinger {

		/**
		 * Sends a ping without waiting for it to be written.
		 * @param payload the application data
		 * @throws IOException if the connection cannot take it
		 */
		void ping(ByteBuffer payload) throws IOException;

	}

	private record Ping(long id, long sentAt) {
	}

	private final long intervalNanos;

	private final long timeoutNanos;

	private final ScheduledExecutorService scheduler;

	private final Pinger pinger;

	private final ReadPause pause;

	private final Runnable onDead;

	private final AtomicLong sequence = new AtomicLong();

	private volatile @Nullable Ping outstanding;

	private volatile @Nullable Duration latency;

	private volatile @Nullable ScheduledFuture<?> ticker;

	private volatile @Nullable ScheduledFuture<?> check;

	private volatile boolean stopped;

	/**
	 * Creates a keepalive; {@link #start()} starts it.
	 * @param interval time between pings
	 * @param timeout time a pong may take
	 * @param scheduler runs the timers; the tasks never block
	 * @param pinger sends pings
	 * @param pause tells when the client holds the reading thread
	 * @param onDead called once, on the scheduler, when a pong is overdue
	 */
	public Keepalive(Duration interval, Duration timeout, ScheduledExecutorService scheduler, Pinger pinger,
			ReadPause pause, Runnable onDead) {
		this.intervalNanos = interval.toNanos();
		this.timeoutNanos = timeout.toNanos();
		this.scheduler = scheduler;
		this.pinger = pinger;
		this.pause = pause;
		this.onDead = onDead;
	}

	/**
	 * Schedules the first ping one interval from now.
	 */
	public void start() {
		ScheduledFuture<?> ticker = this.scheduler.scheduleWithFixedDelay(this::tick, this.intervalNanos,
				this.intervalNanos, TimeUnit.NANOSECONDS);
		this.ticker = ticker;
		if (this.stopped) {
			// stop() ran before the ticker was published: it could not cancel it.
			cancel(ticker);
		}
	}

	/**
	 * Stops sending pings and checking pongs.
	 */
	public void stop() {
		this.stopped = true;
		cancel(this.ticker);
		cancel(this.check);
	}

	/**
	 * Takes a pong from the peer.
	 * @param payload its application data
	 */
	public void pong(ByteBuffer payload) {
		long received = System.nanoTime();
		Ping ping = this.outstanding;
		if (ping != null && payload.remaining() == Long.BYTES && readLong(payload) == ping.id()) {
			this.latency = Duration.ofNanos(received - ping.sentAt());
			this.outstanding = null;
			cancel(this.check);
		}
	}

	/**
	 * Returns the round trip of the last answered ping.
	 * @return the latency, empty until a pong came back
	 */
	public Optional<Duration> latency() {
		return Optional.ofNullable(this.latency);
	}

	private void tick() {
		if (this.stopped || this.outstanding != null) {
			return;
		}
		Ping ping = new Ping(this.sequence.incrementAndGet(), System.nanoTime());
		this.outstanding = ping;
		try {
			this.pinger.ping(ByteBuffer.allocate(Long.BYTES).putLong(0, ping.id()));
		}
		catch (IOException | RuntimeException ex) {
			// the connection is going away; the transport reports that itself
			this.outstanding = null;
			return;
		}
		scheduleCheck(ping, this.timeoutNanos);
	}

	private void scheduleCheck(Ping ping, long delayNanos) {
		if (!this.stopped) {
			this.check = this.scheduler.schedule(() -> check(ping), delayNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void check(Ping ping) {
		if (this.stopped || this.outstanding != ping) {
			return;
		}
		if (this.pause.isPaused()) {
			scheduleCheck(ping, this.timeoutNanos);
			return;
		}
		long deadline = Math.max(ping.sentAt(), this.pause.resumedAt()) + this.timeoutNanos;
		long left = deadline - System.nanoTime();
		if (left > 0) {
			scheduleCheck(ping, left);
			return;
		}
		stop();
		this.onDead.run();
	}

	private static long readLong(ByteBuffer buffer) {
		long value = 0;
		for (int i = 0; i < Long.BYTES; i++) {
			value = (value << 8) | (buffer.get(buffer.position() + i) & 0xFFL);
		}
		return value;
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

}
