package dev.wsinfra.autoconfigure.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.wsinfra.internal.DaemonThreads;
import dev.wsinfra.server.DistributedConnectionManager;
import org.jspecify.annotations.Nullable;

/**
 * What the health contributor and the statistics endpoint know about the backend of a
 * distributed manager, asked in a bounded time: one check at a time, on a thread of its
 * own, and its answer kept for {@link #MAX_AGE}. A caller waits at most {@link #WAIT} for
 * a check under way, then gets the last answer, so a backend that stalls never holds a
 * request for long nor gets asked once per request. Thread-safe.
 */
public final class BackendProbe {

	/** How long an answer is reused. */
	public static final Duration MAX_AGE = Duration.ofSeconds(1);

	/** How long a caller waits for a check under way. */
	public static final Duration WAIT = Duration.ofMillis(500);

	private final DistributedConnectionManager manager;

	private final Clock clock;

	private final Executor executor;

	private final Object lock = new Object();

	private volatile BackendState last = BackendState.NOT_CHECKED;

	// Guarded by lock.
	private @Nullable CompletableFuture<BackendState> check;

	/**
	 * Creates a probe of a manager's backend.
	 * @param manager the manager
	 */
	public BackendProbe(DistributedConnectionManager manager) {
		this.manager = manager;
		this.clock = Clock.systemUTC();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				DaemonThreads.factory("ws-infra-backend-probe"));
		executor.allowCoreThreadTimeOut(true);
		this.executor = executor;
	}

	/**
	 * Returns what is known of the backend: the last answer if it is recent, else the
	 * answer of a check started now or under way, if it comes within {@link #WAIT}, else
	 * the last answer.
	 * @return what is known of the backend
	 */
	public BackendState state() {
		BackendState last = this.last;
		if (last.checkedAt() != null && last.checkedAt().plus(MAX_AGE).isAfter(this.clock.instant())) {
			return last;
		}
		try {
			return check().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return this.last;
		}
		catch (ExecutionException | TimeoutException ex) {
			return this.last;
		}
	}

	private CompletableFuture<BackendState> check() {
		synchronized (this.lock) {
			CompletableFuture<BackendState> check = this.check;
			if (check == null) {
				check = CompletableFuture.supplyAsync(this::ask, this.executor);
				this.check = check;
				check.whenComplete((state, failure) -> {
					synchronized (this.lock) {
						this.check = null;
					}
				});
			}
			return check;
		}
	}

	private BackendState ask() {
		BackendState previous = this.last;
		@Nullable Long onlineUsers = null;
		boolean reachable;
		try {
			reachable = this.manager.isBackendAvailable();
			if (reachable) {
				onlineUsers = this.manager.getOnlineUserCount();
			}
		}
		catch (RuntimeException ex) {
			// The backend dropped between the two questions.
			reachable = false;
			onlineUsers = null;
		}
		Instant now = this.clock.instant();
		Instant since = (reachable) ? null : (previous.unreachableSince() != null) ? previous.unreachableSince() : now;
		BackendState state = new BackendState(reachable, onlineUsers, since, now);
		this.last = state;
		return state;
	}

	/**
	 * What was known of the backend at one time.
	 *
	 * @param reachable whether it answered
	 * @param onlineUsers how many users are online across the cluster, when it answered
	 * @param unreachableSince when it was first seen unreachable in the current outage
	 * @param checkedAt when it was asked, {@code null} when it has never answered yet
	 */
	public record BackendState(boolean reachable, @Nullable Long onlineUsers, @Nullable Instant unreachableSince,
			@Nullable Instant checkedAt) {

		/** Before the first answer. */
		public static final BackendState NOT_CHECKED = new BackendState(false, null, null, null);

	}

}
