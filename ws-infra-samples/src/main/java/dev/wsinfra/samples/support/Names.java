package dev.wsinfra.samples.support;

import java.util.regex.Pattern;

/**
 * Checks the names that clients choose and that become room names: rooms, documents,
 * stock symbols.
 */
public final class Names {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private Names() {
	}

	/**
	 * Returns a name after checking it.
	 * @param what what the name is, for the error message
	 * @param name the name
	 * @return the name
	 * @throws InvalidMessageException when it is not 1 to 64 letters, digits, '.', '_' or
	 * '-'
	 */
	public static String check(String what, String name) {
		if (!NAME.matcher(name).matches()) {
			throw new InvalidMessageException("invalid_name",
					"Invalid " + what + " name: use 1 to 64 letters, digits, '.', '_' or '-'");
		}
		return name;
	}

}
