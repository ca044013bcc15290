package dev.wsinfra.samples.realtime;

import java.util.Map;

import dev.wsinfra.realtime.RealtimeProvider;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/realtime} tells the page which protocol {@code /ws/realtime} speaks and
 * at which rates: the relay passes the provider's own events through, so the page ends a
 * turn and finds the audio the provider's way.
 */
@RestController
class RealtimeInfoController {

	private final RealtimeProvider provider;

	private final boolean standIn;

	RealtimeInfoController(RealtimeProvider provider,
			@Value("${" + RealtimeEnvironmentPostProcessor.STAND_IN_PROPERTY + ":false}") boolean standIn) {
		this.provider = provider;
		this.standIn = standIn;
	}

	@GetMapping("/api/realtime")
	Map<String, Object> info() {
		return Map.of("provider", this.provider.name(), "standIn", this.standIn, "inputSampleRate",
				this.provider.inputSampleRate(), "outputSampleRate", this.provider.outputSampleRate());
	}

}
