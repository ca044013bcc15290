package dev.wsinfra.samples.dashboard;

/**
 * The seed's dashboard message: {@code {"type": "dashboard_update", "data": <stats>}}.
 *
 * @param type always {@code dashboard_update}
 * @param data the statistics
 */
record DashboardUpdate(String type, Stats data) {

	static DashboardUpdate of(Stats stats) {
		return new DashboardUpdate("dashboard_update", stats);
	}

}
