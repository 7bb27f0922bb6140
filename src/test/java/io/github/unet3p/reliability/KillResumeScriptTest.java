package io.github.unet3p.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@code src/test/scripts/kill_resume.sh} (kill -9 at random moments, resume, compare with an
 * uninterrupted run; the training lock between two processes). It takes minutes and starts many
 * JVMs, so it runs only when asked: {@code mvn -o test -Dtest=KillResumeScriptTest -Dunet3p.killtests=true}.
 */
class KillResumeScriptTest {

	@Test
	@EnabledIfSystemProperty(named = "unet3p.killtests", matches = "true", disabledReason = "slow; enable with -Dunet3p.killtests=true")
	void killedRunsResumeToTheUninterruptedResult() throws IOException, InterruptedException {
		final Path script = Path.of("src/test/scripts/kill_resume.sh").toAbsolutePath();
		final Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
		final StringBuilder out = new StringBuilder();
		final Thread reader = new Thread(() -> {
			try {
				for (final String line : (Iterable<String>) new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()::iterator) {
					out.append(line).append('\n');
				}
			}
			catch (final IOException e) {
				out.append("(output lost: ").append(e).append(")\n");
			}
		});
		reader.start();
		final boolean ended = p.waitFor(20, TimeUnit.MINUTES);
		if (!ended) p.destroyForcibly();
		reader.join(10_000);
		System.out.println(out);
		assertTrue(ended, "the script ends within 20 minutes");
		assertEquals(0, p.exitValue(), out::toString);
		assertTrue(out.toString().contains(" 0 failed"), out::toString);
	}
}
