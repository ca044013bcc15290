package dev.wsinfra.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Registers a {@link WsTestClients} bean for a {@link SpringBootTest} that starts an embedded
 * web server, the way Spring Boot registers its HTTP test clients.
 */
class WsTestClientsContextCustomizerFactory implements ContextCustomizerFactory {

	private static final String SPRING_BOOT_TEST = "org.springframework.boot.test.context.SpringBootTest";

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		if (!ClassUtils.isPresent(SPRING_BOOT_TEST, testClass.getClassLoader())) {
			return null;
		}
		SpringBootTest test = TestContextAnnotationUtils.findMergedAnnotation(testClass, SpringBootTest.class);
		return (test != null && test.webEnvironment().isEmbedded()) ? new Customizer() : null;
	}

	/** Adds the bean; every instance is equal, so that contexts stay cached. */
	static final class Customizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			Environment environment = context.getEnvironment();
			context.getBeanFactory()
				.registerSingleton("wsTestClients", new WsTestClients(
						() -> environment.getRequiredProperty("local.server.port", Integer.class)));
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
