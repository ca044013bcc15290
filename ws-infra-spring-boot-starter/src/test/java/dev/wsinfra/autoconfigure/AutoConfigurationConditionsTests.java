package dev.wsinfra.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AnnotatedElementUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bean the starter's auto-configurations define, including those of the
 * configurations they import, backs off when the application defines its own.
 */
class AutoConfigurationConditionsTests {

	@Test
	void everyBeanMethodIsConditionalOnMissingBean() throws Exception {
		List<Class<?>> classes = new ArrayList<>();
		for (String name : autoConfigurations()) {
			collect(Class.forName(name), classes);
		}
		assertThat(classes).hasSizeGreaterThanOrEqualTo(5);
		List<String> unconditional = new ArrayList<>();
		int beans = 0;
		for (Class<?> type : classes) {
			for (Method method : type.getDeclaredMethods()) {
				if (AnnotatedElementUtils.hasAnnotation(method, Bean.class)) {
					beans++;
					if (!AnnotatedElementUtils.hasAnnotation(method, ConditionalOnMissingBean.class)) {
						unconditional.add(type.getSimpleName() + "." + method.getName());
					}
				}
			}
		}
		assertThat(beans).isGreaterThan(15);
		assertThat(unconditional).isEmpty();
	}

	private static void collect(Class<?> type, List<Class<?>> classes) {
		if (classes.contains(type)) {
			return;
		}
		classes.add(type);
		Import imports = type.getAnnotation(Import.class);
		if (imports != null) {
			for (Class<?> imported : imports.value()) {
				collect(imported, classes);
			}
		}
		for (Class<?> nested : type.getDeclaredClasses()) {
			collect(nested, classes);
		}
	}

	private static List<String> autoConfigurations() throws IOException {
		try (InputStream input = AutoConfigurationConditionsTests.class
			.getResourceAsStream("/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
			assertThat(input).isNotNull();
			return new String(input.readAllBytes(), StandardCharsets.UTF_8).lines()
				.map(String::trim)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.toList();
		}
	}

}
