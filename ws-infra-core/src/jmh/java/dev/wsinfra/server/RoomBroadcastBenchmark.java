package dev.wsinfra.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A message to one small room among many: the cost of finding the room and its members'
 * connections, independent of how many rooms and users the manager holds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoomBroadcastBenchmark {

	@Param({ "100", "10000" })
	public int rooms;

	@Param({ "10" })
	public int membersPerRoom;

	private final LongAdder written = new LongAdder();

	private InMemoryConnectionManager manager;

	private int next;

	@Setup(Level.Trial)
	public void connect() {
		this.manager = new InMemoryConnectionManager();
		for (int room = 0; room < this.rooms; room++) {
			for (int member = 0; member < this.membersPerRoom; member++) {
				String user = "user-" + room + "-" + member;
				this.manager.connect(user, new DiscardingSession(this.written));
				this.manager.joinRoom(user, "room-" + room);
			}
		}
	}

	@TearDown(Level.Trial)
	public void close() {
		this.manager.flush(Duration.ofSeconds(30));
		int left = this.manager.connectionCount();
		this.manager.close();
		if (left != this.rooms * this.membersPerRoom) {
			throw new IllegalStateException("Connections were lost during the trial: the figures are void");
		}
	}

	@Benchmark
	public void broadcastToRoom() {
		this.next = (this.next + 1) % this.rooms;
		this.manager.broadcastToRoom("room-" + this.next, "{\"type\":\"cursor\",\"position\":42}");
		this.manager.flush(Duration.ofSeconds(30));
	}

}
