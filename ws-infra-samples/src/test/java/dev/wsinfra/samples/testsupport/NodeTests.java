package dev.wsinfra.samples.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs JavaScript tests with Node's own test runner, {@code node --test}: Node 22 and
 * later as it is, Node 20.10 and later with {@code --experimental-websocket}, which gives
 * it the global {@code WebSocket} that Node 22 has by default. {@code .ci/run} installs
 * Node 22 where no suitable Node is found.
 */
public final class NodeTests {

	private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)");

	private NodeTests() {
	}

	/**
	 * Runs every {@code *.test.mjs} file of a directory.
	 * @param directory the tests
	 * @param environment variables added to the process's environment
	 * @param timeout how long they may run before they are killed
	 * @return what they printed, and how they ended
	 */
	public static Result run(Path directory, Map<String, String> environment, Duration timeout)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("node"));
		command.addAll(flags(version()));
		command.addAll(List.of("--test", "--test-reporter=tap"));
		try (Stream<Path> files = Files.list(directory)) {
			files.map(Path::toString).filter((name) -> name.endsWith(".test.mjs")).sorted().forEach(command::add);
		}
		Path output = Files.createTempFile("ws-infra-node-tests-", ".tap");
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile());
			builder.environment().putAll(environment);
			Process process = builder.start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				return new Result(-1,
						Files.readString(output, StandardCharsets.UTF_8) + "\n(killed after " + timeout + ")");
			}
			return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static List<String> flags(int[] version) {
		if (version[0] >= 22) {
			return List.of();
		}
		if (version[0] > 20 || (version[0] == 20 && version[1] >= 10)) {
			return List.of("--experimental-websocket");
		}
		throw new AssertionError("Node " + version[0] + "." + version[1]
				+ " has no WebSocket client: the JavaScript client's tests need Node 22 (or 20.10 and later), "
				+ "which .ci/run installs");
	}

	private static int[] version() throws IOException, InterruptedException {
		Process process;
		try {
			process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new AssertionError("node is not on the PATH: the JavaScript client's tests need Node 22 "
					+ "(or 20.10 and later), which .ci/run installs", ex);
		}
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("node --version did not answer within 30 s");
		}
		String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
		Matcher matcher = VERSION.matcher(printed);
		if (!matcher.find()) {
			throw new AssertionError("Cannot read Node's version from '" + printed + "'");
		}
		return new int[] { Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)) };
	}

	/**
	 * How a run ended.
	 *
	 * @param exitCode the runner's exit code, 0 when every test passed, -1 when killed
	 * @param output what it printed, TAP
	 */
	public record Result(int exitCode, String output) {

	}

}
