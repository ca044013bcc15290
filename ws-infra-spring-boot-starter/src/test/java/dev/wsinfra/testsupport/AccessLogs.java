package dev.wsinfra.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads what Tomcat's access log valves wrote to a directory.
 */
public final class AccessLogs {

	private AccessLogs() {
	}

	/** Returns the content of every file in the directory. */
	public static String read(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			StringBuilder all = new StringBuilder();
			for (Path file : files.toList()) {
				all.append(Files.readString(file, StandardCharsets.UTF_8));
			}
			return all.toString();
		}
	}

}
