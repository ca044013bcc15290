package dev.wsinfra.samples;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Starts the sample application: every example of ws-infra on one port, with the chat
 * page at {@code /}. See {@code docs/guide.md}.
 */
@SpringBootApplication
@EnableScheduling
public class SamplesApplication {

	public static void main(String[] args) {
		SpringApplication.run(SamplesApplication.class, args);
	}

}
