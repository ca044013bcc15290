package dev.wsinfra.samples.loadbalancer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The load balancers whose configurations ship in {@code docs/load-balancing}, and how a
 * test runs one of those files: the same file, with its upstreams, listening address,
 * idle timeout and file locations replaced for a process of the test's own.
 */
enum LoadBalancer {

	NGINX("nginx", "nginx.conf") {

		@Override
		String render(String shipped, Settings settings) {
			Path dir = settings.directory();
			String servers = settings.backends()
				.stream()
				.map((port) -> "        server 127.0.0.1:" + port + ";")
				.collect(Collectors.joining("\n"));
			return replaceUpstreams(shipped, "        server app1:8080;", "        server app\\d:8080;\n", servers)
				.replace("worker_processes auto;",
						"worker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\nerror_log "
								+ dir.resolve("error.log") + ";")
				.replace("worker_connections 10240;", "worker_connections 512;")
				.replace("access_log /var/log/nginx/access.log", "access_log " + dir.resolve("access.log"))
				.replace("listen 80;", "listen 127.0.0.1:" + settings.port() + ";")
				.replace("proxy_read_timeout 3600s;", "proxy_read_timeout " + seconds(settings.idleTimeout()) + ";")
				.replace("proxy_send_timeout 60s;", "proxy_send_timeout " + seconds(settings.idleTimeout()) + ";")
				.replace("http {\n", "http {\n" + temporaryPaths(dir));
		}

		@Override
		List<String> command(Path config, Settings settings) {
			Path dir = settings.directory();
			return List.of(program(), "-p", dir + "/", "-c", config.toString(), "-e",
					dir.resolve("error.log").toString(), "-g", "daemon off;");
		}

		@Override
		Path accessLog(Settings settings) {
			return settings.directory().resolve("access.log");
		}

	},

	HAPROXY("haproxy", "haproxy.cfg") {

		@Override
		String render(String shipped, Settings settings) {
			StringBuilder servers = new StringBuilder();
			for (int i = 0; i < settings.backends().size(); i++) {
				// checked every 500 ms rather than every 2 s, so that a test does not
				// wait long
				servers.append("    server app")
					.append(i + 1)
					.append(" 127.0.0.1:")
					.append(settings.backends().get(i))
					.append(" check inter 500ms\n");
			}
			String rendered = shipped.replaceAll("(    server app\\d app\\d:8080 check\n)+", servers.toString())
				.replace("bind *:80", "bind 127.0.0.1:" + settings.port())
				// HAProxy needs two descriptors a connection, more than a test machine
				// may allow
				.replace("maxconn 20000", "maxconn 2000")
				.replace("timeout tunnel 1h", "timeout tunnel " + settings.idleTimeout().toMillis() + "ms");
			return rendered + "\nlisten stats\n    bind 127.0.0.1:" + settings.statsPort()
					+ "\n    stats enable\n    stats uri /stats\n";
		}

		@Override
		List<String> command(Path config, Settings settings) {
			return List.of(program(), "-f", config.toString(), "-db");
		}

		@Override
		Path accessLog(Settings settings) {
			// "log stdout": the process's output is the access log
			return settings.directory().resolve("output.log");
		}

	};

	private final String executable;

	private final String fileName;

	LoadBalancer(String executable, String fileName) {
		this.executable = executable;
		this.fileName = fileName;
	}

	String executable() {
		return this.executable;
	}

	/** Returns the program to run: on the path, or where Debian installs it for root. */
	String program() {
		Path sbin = Path.of("/usr/sbin", this.executable);
		return Files.isExecutable(sbin) ? sbin.toString() : this.executable;
	}

	/** Returns the shipped configuration, as users copy it. */
	String shipped() throws IOException {
		Path file = Path.of("..", "docs", "load-balancing", this.fileName);
		return Files.readString(file);
	}

	abstract String render(String shipped, Settings settings);

	abstract List<String> command(Path config, Settings settings);

	abstract Path accessLog(Settings settings);

	String configFileName() {
		return this.fileName;
	}

	// Every temporary path in the test's directory: without root, nginx cannot create the
	// compiled-in ones under /var/lib/nginx.
	private static String temporaryPaths(Path dir) {
		StringBuilder paths = new StringBuilder();
		for (String kind : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
			paths.append("    ").append(kind).append("_temp_path ").append(dir.resolve(kind)).append(";\n");
		}
		return paths.toString();
	}

	private static String replaceUpstreams(String shipped, String first, String pattern, String servers) {
		int at = shipped.indexOf(first);
		if (at < 0) {
			throw new IllegalStateException("The shipped configuration no longer lists " + first.trim());
		}
		String without = shipped.replaceAll(pattern, "");
		return without.substring(0, at) + servers + "\n" + without.substring(at);
	}

	private static String seconds(Duration duration) {
		return Math.max(1, duration.toSeconds()) + "s";
	}

	/**
	 * Where and how a test's load balancer runs.
	 *
	 * @param directory its own directory, for the configuration, logs and temporary files
	 * @param port the port it listens on
	 * @param statsPort a port for its status page, where it has one
	 * @param backends the ports of the instances behind it
	 * @param idleTimeout how long an upgraded connection may stay idle
	 */
	record Settings(Path directory, int port, int statsPort, List<Integer> backends, Duration idleTimeout) {

		Settings {
			backends = List.copyOf(new ArrayList<>(backends));
		}

	}

}
