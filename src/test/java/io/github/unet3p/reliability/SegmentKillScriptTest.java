package io.github.unet3p.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Runs {@code src/test/scripts/segment_kill.sh}: {@code UNet3+ Segment Files} killed with
 * {@code kill -9} at random moments leaves only complete outputs, a rerun with
 * {@code skip_existing=true} ends byte-identical to an uninterrupted run, and the output folder's
 * lock refuses a concurrent run but not a run after a kill. 40-90 s on 2 busy cores (12 short
 * JVMs); skip it with {@code -Dunet3p.skipkilltests=true}.
 *
 * <p>NB: the script gets this test's class path, so it runs the launcher's main class on
 * {@code target/classes} and never starts a nested Maven build (the jar does not exist yet in the
 * test phase of {@code mvn verify}).
 */
class SegmentKillScriptTest {

	@Test
	@EnabledOnOs(value = OS.LINUX, disabledReason = "the script needs GNU date, gzip, cmp and kill -9 semantics of Linux")
	@DisabledIfSystemProperty(named = "unet3p.skipkilltests", matches = "true", disabledReason = "skipped with -Dunet3p.skipkilltests=true")
	void killedSegmentationRunsLeaveOnlyCompleteFilesAndResumeToTheUninterruptedResult() throws IOException, InterruptedException {
		final Path script = Path.of("src/test/scripts/segment_kill.sh").toAbsolutePath();
		final ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
		pb.environment().put("UNET3P_TEST_CLASSPATH", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
		final Process p = pb.start();
		final StringBuilder out = new StringBuilder();
		final Thread reader = new Thread(() -> {
			try {
				out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
			}
			catch (final IOException e) {
				out.append("(output lost: ").append(e).append(")\n");
			}
		});
		reader.start();
		final boolean ended = p.waitFor(6, TimeUnit.MINUTES);
		if (!ended) {
			p.descendants().forEach(ProcessHandle::destroyForcibly); // the JVMs the script started
			p.destroyForcibly();
		}
		reader.join(10_000);
		System.out.println(out);
		assertTrue(ended, "the script ends within 6 minutes:\n" + out);
		assertEquals(0, p.exitValue(), out::toString);
		assertTrue(out.toString().contains(" 0 failed"), out::toString);
	}
}
