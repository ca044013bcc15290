package dev.wsinfra.samples.dashboard;

import java.time.Duration;

import dev.wsinfra.samples.support.Leadership;
import dev.wsinfra.server.ConnectionManager;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The seed's {@code push_dashboard_updates}: every {@code samples.dashboard.interval} (5
 * s) sends the statistics to the dashboard's room. With several instances sharing Redis,
 * only the {@link Leadership leader} sends, so that each dashboard gets one update per
 * interval.
 */
@Component
class DashboardPublisher {

	private final ConnectionManager manager;

	private final Leadership leadership;

	private final String instanceId;

	private final Duration lease;

	DashboardPublisher(ConnectionManager manager, Leadership leadership,
			@Value("${ws.instance-id:local}") String instanceId,
			@Value("${samples.dashboard.interval:5s}") Duration interval) {
		this.manager = manager;
		this.leadership = leadership;
		this.instanceId = instanceId;
		this.lease = Leadership.leaseFor(interval);
	}

	@Scheduled(fixedRateString = "${samples.dashboard.interval:5s}")
	void publish() {
		if (this.leadership.lead("dashboard", this.lease)) {
			this.manager.broadcastToRoom(DashboardHandler.ROOM,
					DashboardUpdate.of(Stats.of(this.manager, this.instanceId)));
		}
	}

}
