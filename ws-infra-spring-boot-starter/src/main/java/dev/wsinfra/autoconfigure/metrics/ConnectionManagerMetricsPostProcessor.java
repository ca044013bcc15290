package dev.wsinfra.autoconfigure.metrics;

import java.util.Set;

import dev.wsinfra.server.ConnectionManager;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopConfigException;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.socket.PingMessage;

/**
 * Counts and times the sends of whatever {@link ConnectionManager} the application uses,
 * in-memory, Redis-backed or its own, through a class-based proxy that keeps the bean's
 * type. A manager whose class cannot be proxied (a final class) is left as it is, without
 * {@code websocket.messages.sent}.
 */
final class ConnectionManagerMetricsPostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(ConnectionManagerMetricsPostProcessor.class);

	private final ObjectProvider<WsMetrics> metrics;

	ConnectionManagerMetricsPostProcessor(ObjectProvider<WsMetrics> metrics) {
		this.metrics = metrics;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof ConnectionManager)) {
			return bean;
		}
		ProxyFactory factory = new ProxyFactory(bean);
		factory.setProxyTargetClass(true);
		factory.addAdvice(new SendMetricsInterceptor(this.metrics));
		try {
			return factory.getProxy(bean.getClass().getClassLoader());
		}
		catch (AopConfigException | IllegalArgumentException ex) {
			logger.info("Connection manager '" + beanName + "' (" + bean.getClass().getName()
					+ ") cannot be proxied; websocket.messages.sent is not recorded: " + ex.getMessage());
			return bean;
		}
	}

	private static final class SendMetricsInterceptor implements MethodInterceptor {

		private static final Set<String> SENDS = Set.of("broadcast", "broadcastToRoom", "sendToUser", "send");

		private final ObjectProvider<WsMetrics> metrics;

		// Resolved on the first send, after every singleton exists.
		private volatile @Nullable WsMetrics resolved;

		SendMetricsInterceptor(ObjectProvider<WsMetrics> metrics) {
			this.metrics = metrics;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			String type = type(invocation);
			if (type == null) {
				return invocation.proceed();
			}
			long start = System.nanoTime();
			Object result = invocation.proceed();
			WsMetrics target = metrics();
			if (target != null && !Boolean.FALSE.equals(result)) {
				target.messageSent(type, System.nanoTime() - start);
			}
			return result;
		}

		private @Nullable WsMetrics metrics() {
			WsMetrics target = this.resolved;
			if (target == null) {
				target = this.metrics.getIfAvailable();
				this.resolved = target;
			}
			return target;
		}

		private static @Nullable String type(MethodInvocation invocation) {
			String name = invocation.getMethod().getName();
			if (!SENDS.contains(name) || invocation.getMethod().getDeclaringClass() == Object.class) {
				return null;
			}
			Object[] arguments = invocation.getArguments();
			if (arguments.length == 2 && arguments[1] instanceof PingMessage) {
				// Keepalive pings are control frames, not messages.
				return null;
			}
			return switch (name) {
				case "broadcast" -> "broadcast";
				case "broadcastToRoom" -> "room";
				case "sendToUser" -> "user";
				default -> "direct";
			};
		}

	}

}
