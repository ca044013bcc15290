package dev.wsinfra.samples.bench;

/**
 * One fan-out message: its sequence number, the monotonic clock in nanoseconds when it
 * was produced, and padding of the requested size.
 *
 * @param type always {@code bench}
 * @param seq the sequence number, from 0
 * @param ts {@link System#nanoTime()} at production
 * @param pad padding characters
 */
record BenchMessage(String type, int seq, long ts, String pad) {

	static BenchMessage of(int seq, String pad) {
		return new BenchMessage("bench", seq, System.nanoTime(), pad);
	}

}
