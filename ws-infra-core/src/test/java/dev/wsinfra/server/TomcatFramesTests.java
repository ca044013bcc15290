package dev.wsinfra.server;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;

import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which Tomcat {@link TomcatFrames} binds to: only a proven version, else none, so that
 * text goes through the WebSocket API.
 */
class TomcatFramesTests {

	private final ClassLoader classLoader = TomcatFrames.class.getClassLoader();

	@Test // #15
	void theTomcatOnTheClassPathIsBoundAsAProvenVersion() {
		TomcatFrames.Binding binding = TomcatFramesIntegrationTests.binding();
		assertThat(binding.version).isEqualTo(TomcatFrames.Binding.version(this.classLoader));
		assertThat(TomcatFrames.PROVEN_VERSIONS).contains(binding.version);
		assertThat(binding.outputBufferSize).isPositive();
	}

	@Test // #15
	void theVersionIsReadFromTheManifestWhenThePackageHasNone() throws Exception {
		// Spring Boot's class loader for nested jars defines packages without it.
		Class<?> session = Class.forName("org.apache.tomcat.websocket.WsSession", false, this.classLoader);
		assertThat(TomcatFrames.Binding.manifestVersion(session)).isNotNull()
			.isEqualTo(session.getPackage().getImplementationVersion());
		assertThat(TomcatFrames.Binding.manifestVersion(TomcatFramesTests.class)).isNull();
	}

	@Test // #15
	void aVersionNotProvenIsNotBound() {
		assertThat(TomcatFrames.Binding.find(this.classLoader, Set.of("10.1.0", "11.0.0"))).isNull();
		assertThat(TomcatFrames.Binding.find(this.classLoader, TomcatFrames.PROVEN_VERSIONS)).isNotNull();
	}

	@Test // #15
	void withoutTomcatNothingIsBound() throws Exception {
		try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
			assertThat(TomcatFrames.Binding.version(empty)).isNull();
			assertThat(TomcatFrames.Binding.find(empty, TomcatFrames.PROVEN_VERSIONS)).isNull();
		}
	}

	@Test // #15
	void aSessionOfAnotherContainerGetsNoFrameWriter() {
		NativeRecordingSession session = new NativeRecordingSession();
		Session nativeSession = session.getNativeSession(Session.class);
		assertThat(TomcatFrames.of(nativeSession, 1000)).isNull();
	}

}
