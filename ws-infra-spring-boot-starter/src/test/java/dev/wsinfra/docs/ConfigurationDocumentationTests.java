package dev.wsinfra.docs;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} against the configuration metadata the build generates:
 * every key listed with its env var and default, every key described, no key documented
 * that does not exist.
 */
class ConfigurationDocumentationTests {

	private static final Pattern ROW = Pattern
		.compile("^\\| `(ws\\.[a-z0-9.-]+)` \\| `([A-Z0-9_]+)` \\| (?:`([^`]*)`|—) \\| (.+) \\|$");

	@Test
	void everyKeyIsDocumentedWithItsEnvVarAndDefault() throws Exception {
		Map<String, JsonNode> metadata = metadata();
		Map<String, String[]> documented = documented();
		assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(metadata.keySet());
		metadata.forEach((name, property) -> {
			assertThat(property.path("description").asString("")).as("description of %s", name).isNotBlank();
			String[] row = documented.get(name);
			assertThat(row[0]).as("env var of %s", name)
				.isEqualTo(name.toUpperCase().replace('.', '_').replace('-', '_'));
			assertThat(row[1]).as("default of %s", name).isEqualTo(defaultValue(property.path("defaultValue")));
			assertThat(row[2]).as("meaning of %s", name).isNotBlank();
		});
	}

	private static String defaultValue(JsonNode value) {
		if (value.isMissingNode() || value.isNull()) {
			return "";
		}
		if (value.isArray()) {
			StringBuilder joined = new StringBuilder();
			value.valueStream()
				.forEach((item) -> joined.append((joined.length() > 0) ? "," : "").append(item.asString()));
			return joined.toString();
		}
		return value.asString();
	}

	private static Map<String, JsonNode> metadata() throws Exception {
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		try (InputStream input = Files
			.newInputStream(Path.of("target/classes/META-INF/spring-configuration-metadata.json"))) {
			JsonNode root = JsonMapper.builder().build().readTree(input);
			root.path("properties")
				.valueStream()
				.filter((property) -> property.path("name").asString().startsWith("ws."))
				.forEach((property) -> properties.put(property.path("name").asString(), property));
		}
		assertThat(properties).hasSizeGreaterThan(30);
		return properties;
	}

	private static Map<String, String[]> documented() throws Exception {
		Map<String, String[]> rows = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Path.of("../docs/configuration.md"))) {
			Matcher matcher = ROW.matcher(line);
			if (matcher.matches()) {
				String[] previous = rows.put(matcher.group(1), new String[] { matcher.group(2),
						(matcher.group(3) != null) ? matcher.group(3) : "", matcher.group(4) });
				assertThat(previous).as("%s documented once", matcher.group(1)).isNull();
			}
		}
		return rows;
	}

}
