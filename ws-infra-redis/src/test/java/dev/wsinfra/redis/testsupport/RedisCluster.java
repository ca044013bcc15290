package dev.wsinfra.redis.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster on loopback: three masters and three replicas ({@code redis-server
 * --cluster-enabled yes} on free ports, formed with {@code redis-cli --cluster create}),
 * started for a test class ({@code @RegisterExtension static RedisCluster redis = new
 * RedisCluster();}), without persistence. Tests may {@link #kill(int) kill -9} a node and
 * {@link #restart(int) restart} it, stop and start the whole cluster, and
 * {@link #moveSlot(int, String) migrate a slot} to another master while traffic flows.
 * Never the machine's own Redis.
 */
public final class RedisCluster implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	private static final int NODES = 6;

	private static final Duration STARTUP = Duration.ofSeconds(30);

	private final Duration nodeTimeout;

	private final Map<Integer, Process> processes = new ConcurrentHashMap<>();

	private final List<Integer> ports = new CopyOnWriteArrayList<>();

	private Path directory;

	// Kills the nodes when the JVM exits before afterAll, as when the build is stopped.
	private final Thread killOnExit = new Thread(() -> this.processes.values().forEach(Process::destroyForcibly),
			"redis-cluster-kill-on-exit");

	public RedisCluster() {
		this(Duration.ofMillis(2000));
	}

	/**
	 * @param nodeTimeout how long a master may stay silent before its replica takes over
	 */
	public RedisCluster(Duration nodeTimeout) {
		this.nodeTimeout = nodeTimeout;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) throws IOException {
		close();
	}

	/**
	 * Starts six nodes and forms the cluster the first time; starts every stopped node
	 * again afterwards (they keep their identities and roles in their node files). Waits
	 * until every node reports {@code cluster_state:ok}.
	 */
	public synchronized void start() throws IOException, InterruptedException {
		boolean first = this.ports.isEmpty();
		if (first) {
			this.directory = Files.createTempDirectory("redis-cluster-");
			Runtime.getRuntime().addShutdownHook(this.killOnExit);
			this.ports.addAll(freeNodePorts());
		}
		for (int port : this.ports) {
			startNode(port);
		}
		if (first) {
			List<String> command = new ArrayList<>(List.of(cli(), "--cluster", "create"));
			this.ports.forEach((port) -> command.add("127.0.0.1:" + port));
			command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
			run(command, Duration.ofSeconds(30));
		}
		awaitHealthy();
	}

	/**
	 * Waits until every running node sees all slots served ({@code cluster_state:ok}) and
	 * every running replica is in sync with its master, so that it can take over.
	 */
	public void awaitHealthy() {
		await().atMost(STARTUP).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
			for (int port : runningPorts()) {
				if (!command(port, "CLUSTER", "INFO").contains("cluster_state:ok")) {
					return false;
				}
				String replication = command(port, "INFO", "replication");
				if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
					return false;
				}
			}
			return masters().size() == 3;
		});
	}

	/** Kills every node with {@code SIGKILL}, losing all data. */
	public synchronized void stop() {
		for (int port : this.ports) {
			kill(port);
		}
	}

	@Override
	public void close() throws IOException {
		stop();
		if (this.directory != null) {
			try (Stream<Path> files = Files.walk(this.directory)) {
				files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach((path) -> path.toFile().delete());
			}
		}
	}

	/**
	 * Returns the seed nodes in Spring Boot's {@code spring.data.redis.cluster.nodes}
	 * format.
	 */
	public String nodes() {
		return this.ports.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	public List<Integer> ports() {
		return List.copyOf(this.ports);
	}

	/** Kills one node with {@code SIGKILL}; nothing when it is not running. */
	public synchronized void kill(int port) {
		Process process = this.processes.remove(port);
		if (process == null) {
			return;
		}
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Starts a killed node again; it rejoins the cluster with its former identity. */
	public synchronized void restart(int port) throws IOException {
		startNode(port);
	}

	/** The masters as the cluster sees them now, from a running node. */
	public List<Node> masters() throws IOException, InterruptedException {
		return clusterNodes().stream().filter(Node::master).toList();
	}

	/** Every node as the cluster sees it now, from a running node. */
	public List<Node> clusterNodes() throws IOException, InterruptedException {
		int port = runningPorts().get(0);
		List<Node> nodes = new ArrayList<>();
		for (String line : command(port, "CLUSTER", "NODES").split("\n")) {
			if (!line.isBlank()) {
				nodes.add(Node.parse(line));
			}
		}
		return nodes;
	}

	/** The master serving a slot now. */
	public Node masterOf(int slot) throws IOException, InterruptedException {
		return masters().stream()
			.filter((node) -> node.serves(slot))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No master serves slot " + slot));
	}

	/** The slot of a key or channel, as the cluster computes it. */
	public int slot(String key) throws IOException, InterruptedException {
		return Integer.parseInt(command(runningPorts().get(0), "CLUSTER", "KEYSLOT", key).trim());
	}

	/**
	 * Returns how many commands each master has served since its start or its last
	 * {@link #resetCommandStats()}, from {@code INFO commandstats}.
	 */
	public Map<Node, Long> commandsPerMaster() throws IOException, InterruptedException {
		Map<Node, Long> calls = new LinkedHashMap<>();
		for (Node master : masters()) {
			long total = 0;
			for (String line : command(master.port(), "INFO", "commandstats").split("\n")) {
				int start = line.indexOf("calls=");
				if (line.startsWith("cmdstat_") && start >= 0) {
					int end = line.indexOf(',', start);
					total += Long.parseLong(line.substring(start + 6, end));
				}
			}
			calls.put(master, total);
		}
		return calls;
	}

	public void resetCommandStats() throws IOException, InterruptedException {
		for (int port : runningPorts()) {
			command(port, "CONFIG", "RESETSTAT");
		}
	}

	/**
	 * Migrates one slot, with its keys, to another master, the way {@code redis-cli
	 * --cluster reshard} does: importing and migrating states, {@code MIGRATE} of the
	 * keys in batches, then the new owner announced to every master.
	 */
	public void moveSlot(int slot, String targetId) throws IOException, InterruptedException {
		Node source = masterOf(slot);
		Node target = masters().stream()
			.filter((node) -> node.id().equals(targetId))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No master " + targetId));
		if (source.id().equals(target.id())) {
			return;
		}
		String slotText = Integer.toString(slot);
		command(target.port(), "CLUSTER", "SETSLOT", slotText, "IMPORTING", source.id());
		command(source.port(), "CLUSTER", "SETSLOT", slotText, "MIGRATING", target.id());
		for (int batch = 0; batch < 10_000; batch++) {
			String[] keys = command(source.port(), "CLUSTER", "GETKEYSINSLOT", slotText, "100").lines()
				.filter((key) -> !key.isBlank())
				.toArray(String[]::new);
			if (keys.length == 0) {
				break;
			}
			List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(target.port()), "",
					"0", "5000", "REPLACE", "KEYS"));
			migrate.addAll(Arrays.asList(keys));
			command(source.port(), migrate.toArray(String[]::new));
		}
		for (Node master : masters()) {
			command(master.port(), "CLUSTER", "SETSLOT", slotText, "NODE", target.id());
		}
		await().atMost(STARTUP)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> masterOf(slot).id().equals(target.id()));
	}

	/**
	 * Runs a command with {@code redis-cli} on one node and returns its raw reply.
	 */
	public String command(int port, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(cli(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
		command.addAll(Arrays.asList(arguments));
		return run(command, Duration.ofSeconds(10));
	}

	// Not synchronized: Awaitility polls it on its own thread while start() holds the
	// lock.
	private List<Integer> runningPorts() {
		List<Integer> running = this.ports.stream().filter(this.processes::containsKey).toList();
		if (running.isEmpty()) {
			throw new IllegalStateException("No node of the cluster is running");
		}
		return running;
	}

	private void startNode(int port) throws IOException {
		Process running = this.processes.get(port);
		if (running != null && running.isAlive()) {
			return;
		}
		Path node = Files.createDirectories(this.directory.resolve(Integer.toString(port)));
		Process process = new ProcessBuilder(server(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
				Long.toString(this.nodeTimeout.toMillis()), "--cluster-replica-validity-factor", "0",
				"--repl-diskless-sync-delay", "0", "--save", "", "--appendonly", "no", "--protected-mode", "no",
				"--dir", node.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(node.resolve("redis.log").toFile()))
			.start();
		this.processes.put(port, process);
		await().atMost(STARTUP).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
			if (!process.isAlive()) {
				throw new IllegalStateException(
						"redis-server exited: " + Files.readString(node.resolve("redis.log"), StandardCharsets.UTF_8));
			}
			return command(port, "PING").trim().equals("PONG");
		});
	}

	private static String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly();
			throw new IOException("Timed out: " + String.join(" ", command));
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.exitValue() != 0 || output.startsWith("ERR") || output.contains("[ERR]")) {
			throw new IOException(String.join(" ", command) + " failed: " + output);
		}
		return output;
	}

	/**
	 * Free ports for the six nodes, each with its cluster-bus port ({@code port + 10000})
	 * free as well.
	 */
	private static List<Integer> freeNodePorts() throws IOException {
		List<Integer> ports = new ArrayList<>();
		for (int attempt = 0; attempt < 200 && ports.size() < NODES; attempt++) {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			if (port + 10000 <= 65535 && !ports.contains(port) && isFree(port + 10000)) {
				ports.add(port);
			}
		}
		if (ports.size() < NODES) {
			throw new IllegalStateException("Found no " + NODES + " free port pairs for a Redis Cluster");
		}
		return ports;
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort() == port;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String server() {
		return executable("redis-server");
	}

	private static String cli() {
		return executable("redis-cli");
	}

	private static String executable(String name) {
		Optional<String> found = Stream
			.concat(Stream.of("/usr/bin", "/usr/local/bin"),
					Arrays.stream(String.valueOf(System.getenv("PATH")).split(File.pathSeparator)))
			.map((directory) -> new File(directory, name))
			.filter(File::canExecute)
			.map(File::getAbsolutePath)
			.findFirst();
		return found.orElseThrow(() -> new IllegalStateException(
				name + " is not installed; .ci/run installs it from Debian's packages"));
	}

	/**
	 * One node of the cluster, as {@code CLUSTER NODES} lists it.
	 *
	 * @param id the node id
	 * @param port its client port on loopback
	 * @param master whether it is a master now
	 * @param slots the slot ranges it serves, each {@code [first, last]}
	 */
	public record Node(String id, int port, boolean master, List<int[]> slots) {

		static Node parse(String line) {
			String[] fields = line.trim().split(" ");
			String address = fields[1];
			int port = Integer.parseInt(address.substring(address.indexOf(':') + 1, address.indexOf('@')));
			boolean master = fields[2].contains("master") && !fields[2].contains("fail");
			List<int[]> slots = new ArrayList<>();
			for (int i = 8; i < fields.length; i++) {
				if (fields[i].startsWith("[")) {
					continue;
				}
				String[] range = fields[i].split("-");
				int first = Integer.parseInt(range[0]);
				slots.add(new int[] { first, (range.length > 1) ? Integer.parseInt(range[1]) : first });
			}
			return new Node(fields[0], port, master, List.copyOf(slots));
		}

		public boolean serves(int slot) {
			return this.slots.stream().anyMatch((range) -> range[0] <= slot && slot <= range[1]);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Node node && node.id.equals(this.id);
		}

		@Override
		public int hashCode() {
			return this.id.hashCode();
		}

		@Override
		public String toString() {
			return this.id.substring(0, 8) + "@" + this.port + (this.master ? " master" : " replica");
		}

	}

}
