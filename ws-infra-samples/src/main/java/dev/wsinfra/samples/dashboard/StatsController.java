package dev.wsinfra.samples.dashboard;

import dev.wsinfra.server.ConnectionManager;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The seed's {@code GET /ws/stats}: {@code connections}, {@code users} and {@code rooms}
 * of this instance, with its {@code instanceId} and the users {@code onlineUsers}
 * anywhere. Open in the sample, as in the seed; it lists user ids, so a real service
 * protects it.
 */
@RestController
class StatsController {

	private final ConnectionManager manager;

	private final String instanceId;

	StatsController(ConnectionManager manager, @Value("${ws.instance-id:local}") String instanceId) {
		this.manager = manager;
		this.instanceId = instanceId;
	}

	@GetMapping("/ws/stats")
	Stats stats() {
		return Stats.of(this.manager, this.instanceId);
	}

}
