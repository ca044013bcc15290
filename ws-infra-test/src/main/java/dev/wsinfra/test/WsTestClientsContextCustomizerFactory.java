package dev.wsinfra.test;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registers a {@link WsTestClients} bean for a {@code @SpringBootTest} that starts an
 * embedded web server on a port ({@code RANDOM_PORT} or {@code DEFINED_PORT}).
 */
class WsTestClientsContextCustomizerFactory implements ContextCustomizerFactory {

	/** Read by name, so that the kit needs no Spring Boot. */
	private static final String SPRING_BOOT_TEST = "org.springframework.boot.test.context.SpringBootTest";

	private static final Set<String> EMBEDDED = Set.of("RANDOM_PORT", "DEFINED_PORT");

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		MergedAnnotation<Annotation> test = MergedAnnotations.search(SearchStrategy.TYPE_HIERARCHY)
			.withEnclosingClasses(TestContextAnnotationUtils::searchEnclosingClass)
			.from(testClass)
			.get(SPRING_BOOT_TEST);
		Object webEnvironment = test.isPresent() ? test.getValue("webEnvironment").orElse(null) : null;
		return (webEnvironment instanceof Enum<?> value && EMBEDDED.contains(value.name())) ? new Customizer() : null;
	}

	/** Adds the bean; every instance is equal, so that contexts stay cached. */
	static final class Customizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			Environment environment = context.getEnvironment();
			context.getBeanFactory()
				.registerSingleton("wsTestClients",
						new WsTestClients(() -> environment.getRequiredProperty("local.server.port", Integer.class)));
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other != null && other.getClass() == getClass();
		}

		@Override
		public int hashCode() {
			return getClass().hashCode();
		}

	}

}
