package dev.wsinfra.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InMemoryConnectionManagerConcurrencyTests {

	private static final int THREADS = 16;

	private static final int OPERATIONS_PER_THREAD = 3_000;

	private final InMemoryConnectionManager manager = new InMemoryConnectionManager();

	private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

	@AfterEach
	void shutdown() {
		this.pool.shutdownNow();
		this.manager.close();
	}

	@Test
	void concurrentChurnLeavesNoUsersRoomsOrConnectionsBehind() throws Exception {
		RecordingListener connects = new RecordingListener();
		RecordingListener disconnects = new RecordingListener();
		this.manager.onConnect(connects);
		this.manager.onDisconnect(disconnects);
		ConcurrentHashMap<RecordingSession, String> live = new ConcurrentHashMap<>();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			workers.add(this.pool.submit(() -> {
				start.await();
				churn(live);
				return null;
			}));
		}
		start.countDown();
		for (Future<?> worker : workers) {
			worker.get(60, TimeUnit.SECONDS);
		}
		live.forEach((session, user) -> this.manager.disconnect(user, session));

		assertThat(this.manager.connectionCount()).isZero();
		assertThat(this.manager.activeUsers()).isEmpty();
		assertThat(this.manager.roomCount()).isZero();
		for (int room = 0; room < 5; room++) {
			assertThat(this.manager.getRoomUsers("room" + room)).isEmpty();
		}
		assertThat(connects.count()).isGreaterThan(0).isEqualTo(disconnects.count());
		await().atMost(Duration.ofSeconds(10)).until(() -> live.keySet().stream().allMatch((s) -> !s.isOpen()));
	}

	@Test
	void concurrentJoinsAndLeavesKeepMembershipConsistentWithConnections() throws Exception {
		List<RecordingSession> sessions = new ArrayList<>();
		for (int user = 0; user < 20; user++) {
			RecordingSession session = new RecordingSession();
			sessions.add(session);
			this.manager.connect("user" + user, session);
		}
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> workers = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			workers.add(this.pool.submit(() -> {
				start.await();
				ThreadLocalRandom random = ThreadLocalRandom.current();
				for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
					String user = "user" + random.nextInt(20);
					String room = "room" + random.nextInt(5);
					if (random.nextBoolean()) {
						this.manager.joinRoom(user, room);
					}
					else {
						this.manager.leaveRoom(user, room);
					}
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> worker : workers) {
			worker.get(60, TimeUnit.SECONDS);
		}
		for (int user = 0; user < 20; user++) {
			for (String room : this.manager.getUserRooms("user" + user)) {
				assertThat(this.manager.getRoomUsers(room)).contains("user" + user);
			}
		}
		for (int room = 0; room < 5; room++) {
			for (String member : this.manager.getRoomUsers("room" + room)) {
				assertThat(this.manager.getUserRooms(member)).contains("room" + room);
			}
		}
		for (int user = 0; user < 20; user++) {
			this.manager.disconnect("user" + user, sessions.get(user));
		}
		assertThat(this.manager.roomCount()).isZero();
	}

	private void churn(ConcurrentHashMap<RecordingSession, String> live) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		List<RecordingSession> mine = new ArrayList<>();
		for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
			String user = "user" + random.nextInt(30);
			String room = "room" + random.nextInt(5);
			switch (random.nextInt(7)) {
				case 0, 1 -> {
					RecordingSession session = new RecordingSession();
					this.manager.connect(user, session);
					live.put(session, user);
					mine.add(session);
				}
				case 2 -> {
					if (!mine.isEmpty()) {
						RecordingSession session = mine.remove(random.nextInt(mine.size()));
						this.manager.disconnect(live.remove(session), session);
					}
				}
				case 3 -> this.manager.joinRoom(user, room);
				case 4 -> this.manager.leaveRoom(user, room);
				case 5 -> this.manager.broadcastToRoom(room, "room " + i, user);
				default -> this.manager.broadcast("all " + i);
			}
		}
	}

}
