package dev.wsinfra.testsupport;

import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

/**
 * Reads start-up failures: the messages of a whole cause chain, where the key a binding
 * failure names sits in a nested cause.
 */
public final class Failures {

	private Failures() {
	}

	public static String messages(@Nullable Throwable failure) {
		StringJoiner messages = new StringJoiner("\n");
		for (Throwable current = failure; current != null; current = current.getCause()) {
			messages.add(String.valueOf(current.getMessage()));
			if (current.getCause() == current) {
				break;
			}
		}
		return messages.toString();
	}

}
