package dev.wsinfra.samples.realtime;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import dev.wsinfra.realtime.RealtimeTool;
import dev.wsinfra.realtime.RealtimeToolCall;

import org.springframework.stereotype.Component;

/**
 * A tool the model may call, answered on the server: the server's date and time. The
 * browser never sees the call's answer being made, only what the model says with it.
 */
@Component
class ServerClockTool implements RealtimeTool {

	static final String NAME = "get_server_time";

	private final Clock clock;

	ServerClockTool() {
		this(Clock.systemDefaultZone());
	}

	ServerClockTool(Clock clock) {
		this.clock = clock;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Returns the current date and time of the server, with its time zone";
	}

	@Override
	public Map<String, Object> parameters() {
		return Map.of("type", "object", "properties", Map.of());
	}

	@Override
	public Object call(RealtimeToolCall call) {
		ZonedDateTime now = ZonedDateTime.now(this.clock);
		return Map.of("time", now.format(DateTimeFormatter.ofPattern("HH:mm")), "date",
				now.format(DateTimeFormatter.ISO_LOCAL_DATE), "zone", now.getZone().getId());
	}

}
