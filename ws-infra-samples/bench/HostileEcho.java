import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what hostile clients of the public echo endpoint cost a server: clients upload
 * 1 MiB messages and either never read the echoes ({@code stalled}) or read one echo every
 * {@code readEveryMs} ({@code slow}, about 0.6 MB/s at 1700 ms), topping up as they read. Every
 * few seconds it forces a full GC in the server ({@code jcmd GC.run}) and reads the heap in use
 * ({@code jcmd GC.heap_info}), and prints the peak retained heap above the baseline, in total
 * and per client, and which clients the server closed (the close code for one that reads it,
 * -1 for one whose upload failed because the server closed it).
 *
 * <pre>java HostileEcho.java PORT SERVER_PID stalled|slow CLIENTS SECONDS [readEveryMs]</pre>
 *
 * Traffic goes to 127.0.0.1 only; every loop is bounded by SECONDS.
 */
public class HostileEcho {

	private static final int MESSAGE_SIZE = 1024 * 1024;

	private static final Pattern USED = Pattern.compile("used (\\d+)K");

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		long pid = Long.parseLong(args[1]);
		boolean slow = args[2].equals("slow");
		int clients = Integer.parseInt(args[3]);
		long seconds = Long.parseLong(args[4]);
		long readEveryMs = (args.length > 5) ? Long.parseLong(args[5]) : 1700;
		String payload = "x".repeat(MESSAGE_SIZE);
		long baseline = heapAfterGc(pid);
		System.out.printf("baseline heap after GC: %.1f MB%n", baseline / 1e6);

		HttpClient http = HttpClient.newHttpClient();
		ScheduledExecutorService readers = Executors.newScheduledThreadPool(2);
		List<Client> all = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			Client client = new Client();
			client.socket = http.newWebSocketBuilder()
				.connectTimeout(Duration.ofSeconds(10))
				.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/echo"), client)
				.get(10, TimeUnit.SECONDS);
			all.add(client);
			if (slow) {
				readers.scheduleAtFixedRate(() -> client.socket.request(1), readEveryMs, readEveryMs,
						TimeUnit.MILLISECONDS);
			}
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		long nextSample = System.nanoTime();
		long peak = 0;
		while (System.nanoTime() < deadline) {
			for (Client client : all) {
				// Upload while the server keeps reading: a stalled client has one send in
				// flight at most.
				if (client.closeCode.get() == 0 && client.inFlight.compareAndSet(0, 1)) {
					client.socket.sendText(payload, true).whenComplete((ws, ex) -> {
						if (ex != null) {
							// The server closed the connection (a client that reads
							// nothing never sees the close frame itself).
							client.closeCode.compareAndSet(0, -1);
							return;
						}
						client.sent.incrementAndGet();
						client.inFlight.set(0);
					});
				}
			}
			if (System.nanoTime() >= nextSample) {
				long retained = heapAfterGc(pid) - baseline;
				peak = Math.max(peak, retained);
				System.out.printf("t=%3ds retained %.1f MB, sent %d MiB, received %d, closed %s%n",
						seconds - TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()), retained / 1e6,
						all.stream().mapToInt((c) -> c.sent.get()).sum(),
						all.stream().mapToInt((c) -> c.received.get()).sum(),
						all.stream().filter((c) -> c.closeCode.get() != 0).map((c) -> c.closeCode.get()).toList());
				nextSample = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
			}
			Thread.sleep(20);
		}
		readers.shutdownNow();
		all.forEach((client) -> client.socket.abort());
		System.out.printf("peak retained heap above baseline: %.1f MB total, %.1f MB per client (%d clients, %s)%n",
				peak / 1e6, peak / 1e6 / clients, clients, slow ? "slow readers" : "stalled readers");
	}

	private static long heapAfterGc(long pid) throws IOException, InterruptedException {
		jcmd(pid, "GC.run");
		Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
		if (!used.find()) {
			throw new IllegalStateException("no heap figure from jcmd");
		}
		return Long.parseLong(used.group(1)) * 1024;
	}

	private static String jcmd(long pid, String command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("jcmd " + command + " failed: " + output);
		}
		return output;
	}

	/** One hostile client: reads nothing unless the slow mode asks for a message now and then. */
	static final class Client implements WebSocket.Listener {

		volatile WebSocket socket;

		final AtomicInteger inFlight = new AtomicInteger();

		final AtomicInteger sent = new AtomicInteger();

		final AtomicInteger received = new AtomicInteger();

		final AtomicInteger closeCode = new AtomicInteger();

		final AtomicLong receivedChars = new AtomicLong();

		@Override
		public void onOpen(WebSocket webSocket) {
			// No request(1): the client reads nothing until the slow mode asks.
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.receivedChars.addAndGet(data.length());
			if (last) {
				this.received.incrementAndGet();
			}
			else {
				webSocket.request(1);
			}
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closeCode.set(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closeCode.compareAndSet(0, -1);
		}

	}

}
